"""Reading an XML export with the standard library, keeping the line each record starts on."""

import re
import xml.etree.ElementTree as ET

from evidence.importers.records import ParseError, clean


def text_of(element):
    """All the text inside an element (titles may hold <i>, <sup> …), on one line."""
    return clean("".join(element.itertext())) if element is not None else ""


def read(text, record_tag):
    """The root element and the line of each <record_tag> opening, in order. A file that is
    not well-formed XML is refused with the record and line where it breaks."""
    starts = [
        text.count("\n", 0, match.start()) + 1
        for match in re.finditer(rf"<{record_tag}[\s>]", text)
    ]
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        line = error.position[0]
        record = sum(1 for start in starts if start <= line) or None
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise ParseError(
            f"the XML is not well-formed ({message})", record=record, line=line
        ) from None
    return root, starts
