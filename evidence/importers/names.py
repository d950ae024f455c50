"""Author names as the product stores them: 'Surname Initials' ("de Vries F", "Smith JA")."""

import re

PARTICLES = {
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "el",
    "la", "le", "st", "ten", "ter", "van", "von", "zu",
}  # fmt: skip
COLLECTIVE_WORDS = re.compile(
    r"\b(group|consortium|collaborat\w*|committee|investigators|network|society|association|"
    r"organi[sz]ation|council|team|working|panel|study|trial|institute|foundation)\b",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,4}")


def is_initials(token):
    return bool(_INITIALS.fullmatch(token))


def initials(given):
    """'John Albert' -> 'JA', 'J.-P.' -> 'JP', 'JA' -> 'JA'."""
    letters = []
    for word in re.split(r"[\s.]+", given):
        for piece in word.split("-"):
            if not piece:
                continue
            if piece.isupper() and len(piece) <= 4 and piece.isalpha():
                letters.append(piece)
            elif piece[0].isalpha():
                letters.append(piece[0].upper())
    return "".join(letters)


def surname_initials(name):
    """Any common spelling of a personal name to 'Surname Initials'; a group's name stays."""
    name = " ".join(str(name or "").split()).strip(" ,;")
    if not name:
        return ""
    if COLLECTIVE_WORDS.search(name):
        return name
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
        given = re.sub(r",?\s*(Jr|Sr|II|III|IV)\.?$", "", given).strip()
        return f"{surname} {initials(given)}".strip()
    parts = name.split()
    if len(parts) == 1:
        return name
    if is_initials(parts[-1]):  # already "Smith JA" or "Smith J.A."
        return f"{' '.join(parts[:-1])} {parts[-1].replace('.', '').replace('-', '')}"
    start = len(parts) - 1
    while start > 1 and parts[start - 1].lower() in PARTICLES:
        start -= 1
    return f"{' '.join(parts[start:])} {initials(' '.join(parts[:start]))}"


def family_given(stored):
    """'de Vries F' -> ('de Vries', 'F'); a group's name -> (name, '')."""
    parts = stored.split()
    if len(parts) > 1 and parts[-1].isupper() and parts[-1].isalpha() and len(parts[-1]) <= 4:
        return " ".join(parts[:-1]), parts[-1]
    return stored, ""
