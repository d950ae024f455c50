"""What text a person or a file may hold: every character but the control characters (Unicode's
Cc: C0, DEL and C1), of which tab, line feed and carriage return pass. A carriage return passes
because browsers send a line break in a text area as CR LF, and Windows files end lines so
(the importers turn every line ending into LF as they decode). Pure Python: the importers use it
without Django; the API's text fields (config.api.StrictCharField) and the importers
(evidence.importers: Text.first_control_character) share it."""

import re

CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ALLOWED = "tabs and line breaks"


def first_control_character(text):
    """The (index, character) of the first control character refused in text, else None."""
    match = CONTROL_CHARACTER.search(text)
    return (match.start(), match.group()) if match else None


def describe(character):
    """How a message names it: "a NUL character (byte 0)", "the control character U+0001"."""
    if character == "\x00":
        return "a NUL character (byte 0)"
    return f"the control character U+{ord(character):04X}"
