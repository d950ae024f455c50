"""Turn a pasted or uploaded article (plain text, Markdown or HTML) into the body we store.

The body is stored exactly as the reader will see it, and every statement is an offset range
into it, so the format is deliberately plain:

- one block per line, no blank lines, no trailing spaces;
- a heading line starts with "# " (whatever its level in the source);
- a list item line starts with "- " (bulleted or numbered in the source);
- any other line is a paragraph.

Markdown and HTML become that format: inline markup is dropped (a link keeps its text, emphasis
its words), whitespace inside a line is collapsed, and the text is otherwise unchanged (curly
quotes and apostrophes stay as they are). Plain text is *not* rewritten into it: a researcher's
text, like the seed article, is kept byte for byte but for line endings, trailing spaces and
blank lines, and `segment.blocks()` recognises its headings and lists as they stand.

HTML goes through trafilatura (main-text extraction with boilerplate removal, and the page's
title, site name, address and date from its metadata); Markdown through markdown-it-py (the
CommonMark parser). Neither is parsed with regular expressions here. See docs/intake.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import PurePath

import lxml.html
import trafilatura
from lxml import etree
from markdown_it import MarkdownIt

from .segment import HEADING_MARKER, LIST_ITEM_MARKER

TEXT, MARKDOWN, HTML = "text", "markdown", "html"
FORMATS = (TEXT, MARKDOWN, HTML)

# An upload's format by its file name's extension; anything else is told from its content.
FORMAT_BY_EXTENSION = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".xhtml": HTML,
}

# How much of an upload's start is looked at to tell its format, and the elements (or doctype)
# that an HTML page or a pasted fragment of one starts with.
SNIFF_CHARS = 2000
HTML_FIRST_TAGS = frozenset(
    "!doctype html head body article main section header nav div p h1 h2 h3 h4 h5 h6 ul ol "
    "table blockquote figure span a meta title".split()
)

# Markdown tokens that plain text practically never produces, so their presence tells Markdown.
# Lists are not among them: plain text often has "- " lines (the seed's table of contents), and
# reading such a text as Markdown would join its unblanked lines into one paragraph.
MARKDOWN_SIGNS = frozenset(
    {"link_open", "strong_open", "em_open", "code_inline", "fence", "image", "blockquote_open"}
)
ATX_HEADING_MARKUPS = frozenset({"#", "##", "###", "####", "#####", "######"})

# trafilatura's output vocabulary (TEI-like): which elements are blocks, and which inline ones
# carry text. Anything else (an image, say) contributes no text.
TRAFILATURA_HEADING = "head"
TRAFILATURA_ITEM = "item"
TRAFILATURA_LINE_BREAK = "lb"
TRAFILATURA_BLOCKS = frozenset(
    {"head", "p", "item", "list", "quote", "code", "table", "row", "cell", "div", "ab"}
)
TRAFILATURA_INLINE = frozenset({"hi", "ref", "del", "span"})
# Dates: only what the page's metadata says (no guessing from copyright lines or free text),
# and its original publication date rather than a later modification.
DATE_EXTRACTION = {"extensive_search": False, "original_date": True}
BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class Extracted:
    """The body as stored, and the page's metadata where the source gives it (else None)."""

    body: str
    fmt: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_on: datetime.date | None = None


class NoTextFound(ValueError):
    """The input has no text a reader would see (an empty file, a page of navigation only)."""


def to_body(content: str, fmt: str) -> Extracted:
    """The stored body of `content`, read as `fmt` ("text", "markdown" or "html")."""
    if fmt == TEXT:
        extracted = Extracted(body=text_to_body(content), fmt=TEXT)
    elif fmt == MARKDOWN:
        extracted = markdown_to_body(content)
    elif fmt == HTML:
        extracted = html_to_body(content)
    else:
        raise ValueError(f"Unknown format {fmt!r}: expected one of {', '.join(FORMATS)}.")
    if not extracted.body:
        raise NoTextFound("The article has no text.")
    return extracted


def guess_format(filename: str | None, content: str) -> str:
    """An upload's format: by its extension when it has a known one, else by its content.

    Content is HTML when it starts like an HTML document or fragment, Markdown when the Markdown
    parser finds constructs plain text does not have (ATX headings, links, emphasis, code,
    quotes), and plain text otherwise: plain text is the safe default, since it is stored as is.
    """
    if filename:
        fmt = FORMAT_BY_EXTENSION.get(PurePath(filename).suffix.lower())
        if fmt:
            return fmt
    if _first_tag(content) in HTML_FIRST_TAGS:
        return HTML
    if _looks_like_markdown(content):
        return MARKDOWN
    return TEXT


def _first_tag(content: str) -> str | None:
    """The name of the tag the content opens with ("p" for "<p class=x>"), lower case; else None."""
    start = content.lstrip(BYTE_ORDER_MARK + " \t\r\n")[:SNIFF_CHARS]
    if not start.startswith("<"):
        return None
    name = start[1:].split(">", 1)[0].split(None, 1)[0:1]
    return name[0].rstrip("/").lower() if name else None


def text_to_body(content: str) -> str:
    """Plain text as it stands: line endings to "\\n", trailing spaces and blank lines dropped.

    Nothing else changes (no marker is added), so a text such as the seed article is stored byte
    for byte. A leading byte order mark, which a reader never sees, is dropped.
    """
    content = content.removeprefix(BYTE_ORDER_MARK)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    lines = (line.rstrip() for line in content.split("\n"))
    return "\n".join(line for line in lines if line)


# Markdown -------------------------------------------------------------------------------------


def markdown_to_body(content: str) -> Extracted:
    """Markdown through markdown-it-py, in the stored format.

    Headings of any level become "# " lines, list items (bulleted or numbered) "- " lines, every
    other block (paragraph, quote, code, table cell) its own lines. A soft line break inside a
    paragraph is a space; a hard break starts a new line. Links keep their text; emphasis, images
    and raw HTML are dropped. When the text opens with a level-1 heading, that heading is the
    title and is not repeated in the body.
    """
    content = content.removeprefix(BYTE_ORDER_MARK)
    tokens = MarkdownIt("commonmark").enable("table").parse(content)
    lines: list[str] = []
    marker = ""
    list_depth = 0
    paragraphs_in_item: list[int] = []
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "list_item_open":
            paragraphs_in_item.append(0)
        elif token.type == "list_item_close":
            paragraphs_in_item.pop()
        elif token.type == "heading_open":
            marker = HEADING_MARKER
        elif token.type == "paragraph_open" and paragraphs_in_item:
            # The first paragraph of an item is the item; later ones are its paragraphs.
            marker = LIST_ITEM_MARKER if paragraphs_in_item[-1] == 0 else ""
            paragraphs_in_item[-1] += 1
        elif token.type == "inline":
            _add_lines(lines, _markdown_inline_lines(token.children or []), marker)
            marker = ""
        elif token.type in ("fence", "code_block"):
            _add_lines(lines, token.content.split("\n"), "")
    title = None
    opens_with_h1 = tokens and tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    if opens_with_h1 and lines and lines[0].startswith(HEADING_MARKER):
        title = lines.pop(0).removeprefix(HEADING_MARKER)
    return Extracted(body="\n".join(lines), fmt=MARKDOWN, title=title)


def _markdown_inline_lines(children) -> list[str]:
    """An inline token's text, split at hard breaks; markup (emphasis, links, images) dropped."""
    lines = [""]
    for child in children:
        if child.type in ("text", "code_inline"):
            lines[-1] += child.content
        elif child.type == "softbreak":
            lines[-1] += " "
        elif child.type == "hardbreak":
            lines.append("")
    return lines


def _looks_like_markdown(content: str) -> bool:
    tokens = MarkdownIt("commonmark").parse(content[: SNIFF_CHARS * 5])
    for token in tokens:
        if token.type == "heading_open" and token.markup in ATX_HEADING_MARKUPS:
            return True
        if token.type in MARKDOWN_SIGNS:
            return True
        if token.type == "inline" and any(c.type in MARKDOWN_SIGNS for c in token.children or []):
            return True
    return False


# HTML -----------------------------------------------------------------------------------------


def html_to_body(content: str) -> Extracted:
    """The main text of an HTML page (or pasted fragment) by trafilatura, in the stored format.

    A whole page goes to trafilatura as it is, so that navigation, headers, footers and asides
    are dropped. A fragment (no <html> element: a pasted piece of an article) has no boilerplate
    to remove, and trafilatura's page heuristics drop headings and lists of short fragments, so
    it is first wrapped in an <article>, which trafilatura takes whole.
    """
    content = content.removeprefix(BYTE_ORDER_MARK)
    if not content.strip():
        return Extracted(body="", fmt=HTML)
    if not _is_whole_page(content):
        content = f"<html><body><article>{content}</article></body></html>"
    document = _trafilatura(content, favor_recall=False)
    if document is None:
        # Too little text for the balanced settings: ask again, keeping more.
        document = _trafilatura(content, favor_recall=True)
    if document is None or document.body is None:
        return Extracted(body="", fmt=HTML)
    lines: list[str] = []
    _walk_trafilatura(document.body, lines)
    title = _clean(document.title)
    if title and _opens_with_title(document.body, lines, title):
        lines.pop(0)  # the page's title, shown above the body, is not repeated in it
    return Extracted(
        body="\n".join(lines),
        fmt=HTML,
        title=title,
        publisher=_clean(document.sitename),
        url=_clean(document.url),
        published_on=_date(document.date),
    )


def _trafilatura(content: str, *, favor_recall: bool):
    return trafilatura.bare_extraction(
        content,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        favor_recall=favor_recall,
        date_extraction_params=DATE_EXTRACTION,
    )


def _is_whole_page(content: str) -> bool:
    try:
        root = lxml.html.fromstring(content)
    except (etree.ParserError, ValueError):
        return False
    return root.tag == "html"


def _walk_trafilatura(element, lines: list[str]) -> None:
    """Append the lines of the blocks inside trafilatura's `element` to `lines`.

    A block's text runs through its inline children (emphasis, links) and is cut into lines at
    its line breaks and around the blocks nested in it (a list inside an item, a paragraph
    inside a quote), which are walked in turn. A heading's lines are headings; an item's first
    line is the item, any later one a paragraph.
    """
    for child in element:
        if child.tag in TRAFILATURA_BLOCKS:
            _walk_block(child, lines)


def _walk_block(block, lines: list[str]) -> None:
    if block.tag == TRAFILATURA_HEADING:
        markers = iter(())
        default = HEADING_MARKER
    elif block.tag == TRAFILATURA_ITEM:
        markers = iter((LIST_ITEM_MARKER,))
        default = ""
    else:
        markers = iter(())
        default = ""
    buffer = [block.text or ""]

    def flush():
        text = _clean("".join(buffer))
        if text:
            lines.append(next(markers, default) + text)
        buffer.clear()

    def walk_inline(element):
        for child in element:
            if child.tag in TRAFILATURA_BLOCKS:
                flush()
                _walk_block(child, lines)
            elif child.tag == TRAFILATURA_LINE_BREAK:
                flush()
            elif child.tag in TRAFILATURA_INLINE:
                buffer.append(child.text or "")
                walk_inline(child)
            buffer.append(child.tail or "")

    walk_inline(block)
    flush()


def _opens_with_title(body, lines: list[str], title: str) -> bool:
    """Whether the body opens with a level-1 heading that repeats the page's title."""
    first = body[0] if len(body) else None
    return (
        first is not None
        and first.tag == TRAFILATURA_HEADING
        and first.get("rend") == "h1"
        and bool(lines)
        and lines[0] == HEADING_MARKER + title
    )


# Shared ---------------------------------------------------------------------------------------


def _add_lines(lines: list[str], texts, marker: str) -> None:
    """Append each non-empty text, its whitespace collapsed, after `marker`."""
    for text in texts:
        text = _clean(text)
        if text:
            lines.append(marker + text)


def _clean(text: str | None) -> str | None:
    """Whitespace runs to one space, ends trimmed; None for nothing."""
    if text is None:
        return None
    return " ".join(text.split()) or None


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
