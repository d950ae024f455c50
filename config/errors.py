"""Errors the services raise that the pages and the API both answer."""


class Conflict(Exception):
    """The request was made against a state that has changed since (another person acted
    first): the API answers 409, the pages say what happened. Not for invalid input."""
