"""The weekly check of the web addresses the site shows (service links, organisation and meeting place websites).

``guard`` decides which addresses may be fetched at all (no private, loopback, link-local, multicast or reserved
targets, checked on every resolved address and every redirect hop), ``checker`` fetches them with bounded concurrency,
and ``job`` picks the addresses that are due and stores the results in ``organisations.LinkCheck``.
"""
