"""Errors the services raise that the pages and the API both answer."""


class Conflict(Exception):
    """The request was made against a state that has changed since (another person acted
    first): the API answers 409, the pages say what happened. Not for invalid input."""


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
