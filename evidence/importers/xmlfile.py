"""Reading an XML export with the standard library as it comes (ElementTree's pull parser, fed a
chunk at a time), keeping the line each record starts on."""

import re
import xml.etree.ElementTree as ET

from evidence.importers.records import ParseError, clean


def text_of(element):
    """All the text inside an element (titles may hold <i>, <sup> …), on one line."""
    return clean("".join(element.itertext())) if element is not None else ""


def events(text, record_tag, starts):
    """ElementTree's ("start", element) and ("end", element) events of a Text (whole elements
    at their end), read a chunk at a time; `starts` gets the line of each <record_tag> opening
    as the text comes. A text that is not well-formed XML is refused with the record and line
    where it breaks."""
    parser = ET.XMLPullParser(events=("start", "end"))
    opening = re.compile(rf"<{record_tag}[\s>]")
    line = 1
    try:
        for chunk in text.line_chunks():  # an opening ends its line at the latest
            at = 0
            for match in opening.finditer(chunk):
                line += chunk.count("\n", at, match.start())
                at = match.start()
                starts.append(line)
            line += chunk.count("\n", at)
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()
    except ET.ParseError as error:
        line = error.position[0]
        record = sum(1 for start in starts if start <= line) or None
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise ParseError(
            f"the XML is not well-formed ({message})", record=record, line=line
        ) from None


def read_records(text, record_tag, make, *, root, container=None):
    """make(element, number, line) of each <record_tag> child of the root (or with `container`,
    of the root's first <container> child), as the text is read, when the root is <root>; each
    element let go of once made, so the tree never holds more than one record. Returns the
    root's tag and whether it held the container. As when the whole tree was read first, a
    text that is not well-formed is refused as such even after a record that could not be
    made: that record's ParseError is raised once the text has been read to its end."""
    starts, path, number = [], [], 0
    top = holder = unmade = None
    found = False
    for event, element in events(text, record_tag, starts):
        if event == "start":
            path.append(element)
            if len(path) == 1:
                top = element
                holder = top if container is None else None
            elif len(path) == 2 and container and element.tag == container and not found:
                holder, found = element, True
            continue
        path.pop()
        if not path:  # the root's end
            continue
        parent = path[-1]
        if parent is holder and element.tag == record_tag and top.tag == root and not unmade:
            number += 1
            line = starts[number - 1] if number <= len(starts) else None
            try:
                record = make(element, number, line)
            except ParseError as error:
                unmade = error
            else:
                yield record
        if parent is holder or parent is top:
            parent.remove(element)
        if element is holder:
            holder = None
    if unmade:
        raise unmade
    return top.tag, found
