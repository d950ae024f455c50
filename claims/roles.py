"""The four roles of DESIGN.md, as Django groups (created by migration claims 0002). An account
has one of them: the roles nest (a grader can do what a researcher can, an admin everything),
and claims.services.user_set_role gives it, with the staff status signing in needs."""

from enum import StrEnum


class Role(StrEnum):
    READER = "reader"
    RESEARCHER = "researcher"
    GRADER = "grader"
    ADMIN = "admin"

    @property
    def description(self):
        return DESCRIPTIONS[self]


DESCRIPTIONS = {
    Role.RESEARCHER: "Researcher: enters and imports studies, brings in articles, adds findings",
    Role.GRADER: "Grader: a researcher who also appraises studies, approves findings, grades "
    "claims and publishes",
    Role.ADMIN: "Admin: everything, and the accounts",
    Role.READER: "No work role: cannot sign in (reads the public site like anyone)",
}

# The roles from the most to the least an account can do.
BY_REACH = [Role.ADMIN, Role.GRADER, Role.RESEARCHER, Role.READER]


def role_of(user):
    """The widest role among the user's groups (None when in none). Reads user.groups.all(), so a
    list prefetches the groups once for every row."""
    names = {group.name for group in user.groups.all()}
    return next((role for role in BY_REACH if role in names), None)
