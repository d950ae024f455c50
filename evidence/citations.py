"""How the product names a study in running text. Pure: used by models and the seed builder."""


def first_author_surname(authors):
    """'de Vries F' -> 'de Vries'; names are stored as 'Surname Initials'."""
    if not authors:
        return ""
    parts = authors[0].split()
    if len(parts) > 1 and parts[-1].isupper():
        parts = parts[:-1]
    return " ".join(parts)


def short_label(authors, journal, year):
    """'de Vries 2020'; without authors, the journal stands in for them."""
    name = first_author_surname(authors) or journal or "Untitled"
    return f"{name} {year}" if year else name
