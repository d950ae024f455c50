"""The four roles of DESIGN.md, as Django groups (created by migration claims 0002)."""

from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    RESEARCHER = "researcher"
    GRADER = "grader"
    ADMIN = "admin"
