"""A file's text as the parsers read it: in chunks, so that a large file is never held whole.

    Text.of("TY  - JOUR\n…")      # a decoded text (an upload, a StudyImport's content)
    Text.on_disk("studies.nbib")  # a file, decoded as it is read (evidence.importers.encoding)

Either may be read as often as needed (a first pass finds a control character, the next one
parses). A file on disk is decoded as decode() decodes its bytes (the same encodings, the same
line endings), a megabyte at a time.
"""

import codecs
import io

from config.text import first_control_character

CHUNK = 1 << 20  # characters a chunk
ENCODINGS = ("utf-8", "cp1252", "latin-1")  # tried in turn, as decode() does
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(0x80) if b not in _CONTROL_BYTES)


class Text:
    """Text read in chunks, as often as asked. The chunks of a text joined are the text."""

    def chunks(self):
        raise NotImplementedError

    def whole(self):
        return "".join(self.chunks())

    def head(self, size):
        """Its first `size` characters after any leading whitespace (or fewer: all it has)."""
        head = ""
        for chunk in self.chunks():
            head = (head + chunk).lstrip()
            if len(head) >= size:
                break
        return head[:size]

    def line_chunks(self):
        """Its chunks cut after a line feed, so that each holds whole lines."""
        rest = ""
        for chunk in self.chunks():
            chunk = rest + chunk
            cut = chunk.rfind("\n") + 1
            rest = chunk[cut:]
            if cut:
                yield chunk[:cut]
        if rest:
            yield rest

    def lines(self, keepends=False):
        """Its lines, as str.split("\n") gives them; with keepends, each with its line feed
        and no empty last line, as io.StringIO gives them."""
        rest = ""
        for chunk in self.chunks():
            lines = (rest + chunk).split("\n")
            rest = lines.pop()
            if keepends:
                yield from (f"{line}\n" for line in lines)
            else:
                yield from lines
        if rest or not keepends:
            yield rest

    def first_control_character(self):
        """(line, character) of the first control character that is no text (config.text), or
        None."""
        line = 1
        for chunk in self.chunks():
            found = _first_control_character(chunk)
            if found is not None:
                at, character = found
                return line + chunk.count("\n", 0, at), character
            line += chunk.count("\n")
        return None

    @staticmethod
    def of(text):
        return text if isinstance(text, Text) else InMemory(text)

    @staticmethod
    def on_disk(path):
        return OnDisk(path)


def _first_control_character(chunk):
    if chunk.isascii():  # the usual case, in C: no control byte left once the others are gone
        if not chunk.encode("ascii").translate(None, _NOT_CONTROL_BYTES):
            return None
    return first_control_character(chunk)


class InMemory(Text):
    def __init__(self, text):
        self.text = text

    def chunks(self):
        text = self.text
        for start in range(0, len(text), CHUNK):
            yield text[start : start + CHUNK]

    def whole(self):
        return self.text

    def __len__(self):
        return len(self.text)


class OnDisk(Text):
    """A file, decoded as evidence.importers.encoding.decode() decodes its bytes: without a
    UTF-8 byte order mark, UTF-16 when it starts with one, else the first of UTF-8, Windows-1252
    and Latin-1 that decodes the whole file (found by reading it once, here); every line ending
    (CR LF, CR) becomes LF. OSError when it cannot be opened."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as handle:
            start = handle.read(4)
        self.offset = 0
        if start.startswith(codecs.BOM_UTF8):
            self.offset = len(codecs.BOM_UTF8)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self.encoding = "utf-16"
        else:
            self.encoding = next(e for e in ENCODINGS if self._decodes(e))

    def _decodes(self, encoding):
        decoder = codecs.getincrementaldecoder(encoding)()
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            try:
                while data := handle.read(CHUNK):
                    decoder.decode(data)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return False
        return True

    def chunks(self):
        with open(self.path, "rb") as raw:
            raw.seek(self.offset)
            # newline=None: CR LF and CR become LF, as decode() does
            with io.TextIOWrapper(raw, encoding=self.encoding, newline=None) as handle:
                first = True
                while chunk := handle.read(CHUNK):
                    if first:  # decode() strips byte order marks left at the start
                        chunk, first = chunk.lstrip("\ufeff"), False
                        if not chunk:
                            continue
                    yield chunk
