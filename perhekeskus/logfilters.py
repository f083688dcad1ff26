"""Logging filters used by settings.LOGGING (kept free of Django imports that need the app registry)."""

import logging


class ErrorReferenceFilter(logging.Filter):
    """Puts the reference id shown on a 500 page (perhekeskus.errors.server_error) into its log record.

    Django logs the error after handler500 has rendered the page, with the request in the record: the id is read from
    there, stored as ``record.error_reference`` and put in front of the message, so every handler shows it.
    """

    def filter(self, record):
        request = getattr(record, "request", None)
        reference = getattr(request, "error_reference", None)
        if reference and not getattr(record, "error_reference", None):
            record.error_reference = reference
            record.msg = f"[ref {reference}] {record.msg}"
        return True


class AsWarning(logging.Filter):
    """Logs a record at WARNING whatever level it came with (for django.security events outsiders can cause)."""

    def filter(self, record):
        if record.levelno > logging.WARNING:
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True


class ServerErrorsOnly(logging.Filter):
    """Lets through only records of a server error (status 500 or more): what is worth an e-mail to ADMINS."""

    def filter(self, record):
        status = getattr(record, "status_code", None)
        return status is not None and status >= 500


class DatabaseUnavailableAsWarning(logging.Filter):
    """Logs a request that failed because the database is unreachable at WARNING, so it is never mailed to ADMINS.

    A database error raised inside a middleware (the session loaded by SessionMiddleware) is logged by Django's own
    500 handling before perhekeskus.unavailable swaps the response for the 503 page; while the database is down that
    would be one mail per page view.
    """

    def filter(self, record):
        from perhekeskus.unavailable import is_database_error

        if record.exc_info and is_database_error(record.exc_info[1]) and record.levelno > logging.WARNING:
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True
