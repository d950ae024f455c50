"""Errors the services raise that the pages and the API both answer."""

from django.db import InterfaceError, OperationalError


class Conflict(Exception):
    """The request was made against a state that has changed since (another person acted
    first): the API answers 409, the pages say what happened. Not for invalid input."""


# The errors of a database that cannot be reached: it stopped, restarted or dropped the
# connection (OperationalError: "connection refused", "terminating connection due to
# administrator command"), or the connection was closed under the code (InterfaceError). The
# transaction they interrupt is rolled back. The other OperationalErrors (a deadlock, a lock or
# statement timeout, SQLite's "database is locked") pass too: trying again is their answer. Pages and the API answer 503
# (config.middleware.DatabaseUnavailableMiddleware); import_studies says so in one line.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_error_reason(error):
    """The first line of a database error: what the driver says, without its hints."""
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


class Stale(Conflict):
    """A write made against a version of a record older than the one stored (another person,
    or another tab, saved it since): nothing is written. The pages show the message, which
    names who changed it, when, and the differences; the API answers 412 with the stored
    version's ETag. Built by config.versions.stale."""

    def __init__(self, message, *, version, differences=(), who="", when=None):
        super().__init__(message)
        self.version = version
        self.differences = list(differences)
        self.who = who
        self.when = when
