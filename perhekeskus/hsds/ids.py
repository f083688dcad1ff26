"""HSDS identifiers: UUIDs derived from our rows, stable across requests and releases, with no extra column.

HSDS wants a UUID for every object. Two kinds are used:

- ``row_id(kind, pk)`` for the objects a client fetches by id (services, organisations, locations,
  service-at-locations): a version-8 UUID (RFC 9562, "custom") whose first half is a fixed hash of the
  project and the kind and whose second half holds the primary key. It is as stable as a uuid5 over the
  same inputs, but it can be read back (``parse_row_id``), so ``/services/{id}`` is one primary-key lookup
  instead of a stored column or a scan. A UUID of another kind, or one we never issued, reads back as None.
- ``derived_id(...)`` (uuid5 over the project namespace) for everything else: the nested objects
  (phones, schedules, addresses, ...) that are never fetched alone, and the taxonomy terms, whose ids
  are made from their codes so that they are the same in every installation.
"""

import hashlib
import uuid

NAMESPACE = uuid.UUID("6a61e2a7-223b-4cd3-8f0b-0e9dfa7f35f4")

_PK_BITS = 62
_PK_MASK = (1 << _PK_BITS) - 1
_VARIANT = 0b10 << _PK_BITS  # the RFC 4122/9562 variant in the top two bits of the lower half


def _prefix(kind: str) -> int:
    high = int.from_bytes(hashlib.sha256(f"perhekeskus:hsds:{kind}".encode()).digest()[:8], "big")
    return (high & ~(0xF << 12)) | (0x8 << 12)  # version 8 in bits 48-51 of the UUID


def row_id(kind: str, pk: int) -> str:
    """The UUID of row *pk* of *kind* ("service", "organization", "location", "service_at_location")."""
    return str(uuid.UUID(int=(_prefix(kind) << 64) | _VARIANT | pk))


def parse_row_id(kind: str, value: str) -> int | None:
    """The primary key in a UUID that ``row_id(kind, ...)`` made, or None for anything else."""
    try:
        number = uuid.UUID(value).int
    except (ValueError, TypeError, AttributeError):
        return None
    low = number & ((1 << 64) - 1)
    if number >> 64 != _prefix(kind) or low & ~_PK_MASK != _VARIANT:
        return None
    pk = low & _PK_MASK
    # Primary keys are PostgreSQL bigints at most; anything bigger cannot be a row.
    return pk if 0 < pk < 2**63 else None


def derived_id(*parts) -> str:
    """A UUID for a nested object, from the path that names it (e.g. "service", 12, "language", "fi")."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, TypeError, AttributeError):
        return False
    return True
