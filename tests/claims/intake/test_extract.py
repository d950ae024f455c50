"""claims.intake.extract: pasted or uploaded text, Markdown and HTML into the stored body.

Every input here is written for the test; none is copied from a real article.
"""

import datetime

import pytest

from claims.intake.extract import NoTextFound, guess_format, to_body

from .seed_source import article_text, needs_seed

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Herbal teas and sleep | Example Health News</title>
<meta property="og:title" content="Herbal teas and sleep">
<meta property="og:site_name" content="Example Health News">
<meta property="og:url" content="https://news.example.org/herbal-teas-and-sleep">
<meta property="article:published_time" content="2025-03-14T09:00:00Z">
<link rel="canonical" href="https://news.example.org/herbal-teas-and-sleep">
</head>
<body>
<header>
  <a href="/">Example Health News</a>
  <nav><ul>
    <li><a href="/news">Latest news</a></li>
    <li><a href="/about">About the newsroom</a></li>
    <li><a href="/subscribe">Subscribe to our newsletter</a></li>
  </ul></nav>
</header>
<main>
<article>
  <h1>Herbal teas and sleep</h1>
  <p>This page is synthetic, written for a test. A cup of   herbal tea is often drunk
     before bed, and <a href="https://example.org/x">some readers</a> say it helps them
     <em>fall asleep</em>.</p>
  <h2>What the tea contains</h2>
  <p>The tea contains plant compounds that may act on the brain. Dr. Rivera, a fictional
     pharmacist, says the dose in a cup is approx. 1.5 mg.</p>
  <ul>
    <li>It is free of caffeine.</li>
    <li>It is <strong>cheap</strong>.</li>
  </ul>
  <h3>What is not known</h3>
  <p>Nobody knows how much is needed. “It’s only a tea,” the fictional pharmacist says.</p>
</article>
</main>
<aside><h2>Most read</h2><ul>
  <li><a href="/a">Ten foods for a cold winter evening</a></li>
  <li><a href="/b">Why walking every day matters</a></li>
</ul></aside>
<footer>
  <p>© 2025 Example Health News. All rights reserved.</p>
  <p><a href="/privacy">Privacy policy</a> · <a href="/contact">Contact us</a></p>
</footer>
</body>
</html>
"""

PAGE_BODY = (
    "This page is synthetic, written for a test. A cup of herbal tea is often drunk before bed, "
    "and some readers say it helps them fall asleep.\n"
    "# What the tea contains\n"
    "The tea contains plant compounds that may act on the brain. Dr. Rivera, a fictional "
    "pharmacist, says the dose in a cup is approx. 1.5 mg.\n"
    "- It is free of caffeine.\n"
    "- It is cheap.\n"
    "# What is not known\n"
    "Nobody knows how much is needed. “It’s only a tea,” the fictional pharmacist says."
)

MARKDOWN = """# Herbal teas and sleep

A cup of herbal tea is *often* drunk before bed, and [some readers](https://example.org/x)
say it helps them **fall asleep**.

## What the tea contains

The tea contains `plant compounds` that may act on the brain.

- It is free of caffeine.
- It is _cheap_.
  - It keeps for a year.

1. Boil the water.
2. Let it cool a little.

> “It’s only a tea,” says a fictional pharmacist.

### What is not known
Nobody knows how much is needed.\\
Nobody has measured it.
"""


def test_it_keeps_the_main_text_of_a_page_and_drops_its_navigation_header_and_footer():
    extracted = to_body(PAGE, "html")
    assert extracted.body == PAGE_BODY
    for boilerplate in ("Latest news", "Subscribe", "Most read", "Ten foods", "rights reserved"):
        assert boilerplate not in extracted.body


def test_it_reads_a_pages_title_publisher_address_and_date_from_its_metadata():
    extracted = to_body(PAGE, "html")
    assert extracted.fmt == "html"
    assert extracted.title == "Herbal teas and sleep"
    assert extracted.publisher == "Example Health News"
    assert extracted.url == "https://news.example.org/herbal-teas-and-sleep"
    assert extracted.published_on == datetime.date(2025, 3, 14)


def test_it_names_the_publisher_by_the_pages_host_when_the_page_gives_no_site_name():
    page = PAGE.replace('<meta property="og:site_name" content="Example Health News">', "")
    assert to_body(page.replace("Example Health News", ""), "html").publisher == "news.example.org"


def test_it_leaves_metadata_a_page_does_not_give_empty():
    page = "\n".join(
        line
        for line in PAGE.splitlines()
        if "og:" not in line and "canonical" not in line and "published_time" not in line
    )
    extracted = to_body(page.replace("Example Health News", ""), "html")
    assert extracted.title == "Herbal teas and sleep"  # from the <title> and the <h1>
    assert extracted.publisher is None
    assert extracted.url is None
    assert extracted.published_on is None  # the footer's copyright year is not a date


def test_it_keeps_the_headings_lists_and_line_breaks_of_a_pasted_html_fragment():
    fragment = (
        "<h2>Tea facts</h2><p>Green tea <em>may</em> lower blood pressure.</p>"
        "<ol><li>One cup<ul><li>or two</li></ul></li><li>Three cups</li></ol>"
        "<p>First line<br>second line</p><blockquote><p>A quoted paragraph.</p></blockquote>"
    )
    assert to_body(fragment, "html").body == (
        "# Tea facts\nGreen tea may lower blood pressure.\n- One cup\n- or two\n- Three cups\n"
        "First line\nsecond line\nA quoted paragraph."
    )


def test_it_reads_markdown_with_a_real_parser_keeping_link_text_and_dropping_emphasis():
    extracted = to_body(MARKDOWN, "markdown")
    assert extracted.title == "Herbal teas and sleep"
    assert extracted.body == (
        "A cup of herbal tea is often drunk before bed, and some readers say it helps them "
        "fall asleep.\n"
        "# What the tea contains\n"
        "The tea contains plant compounds that may act on the brain.\n"
        "- It is free of caffeine.\n"
        "- It is cheap.\n"
        "- It keeps for a year.\n"
        "- Boil the water.\n"
        "- Let it cool a little.\n"
        "“It’s only a tea,” says a fictional pharmacist.\n"
        "# What is not known\n"
        "Nobody knows how much is needed.\n"
        "Nobody has measured it."
    )


def test_it_keeps_a_markdown_heading_that_is_not_a_leading_title_in_the_body():
    extracted = to_body("Some text first.\n\n# A heading\n\nMore text.", "markdown")
    assert extracted.title is None
    assert extracted.body == "Some text first.\n# A heading\nMore text."


def test_it_keeps_plain_text_byte_for_byte_but_line_ends_trailing_spaces_and_blank_lines():
    text = "\ufeffA  first line with  double spaces.  \r\n\r\n- not a list\r\n   indented stays\n\n\nLast"
    assert to_body(text, "text").body == (
        "A  first line with  double spaces.\n- not a list\n   indented stays\nLast"
    )


def test_it_keeps_curly_quotes_and_apostrophes_exactly():
    text = "The herb’s leaves are “chewed” by users of ‘tea’."
    assert to_body(text, "text").body == text
    assert to_body(text, "markdown").body == text
    assert to_body(f"<p>{text}</p>", "html").body == text


@needs_seed
def test_it_stores_the_seed_article_byte_for_byte():
    text = article_text()
    assert to_body(text, "text").body.encode("utf-8") == text.encode("utf-8")


def test_it_refuses_an_article_with_no_text():
    with pytest.raises(NoTextFound):
        to_body(" \n\n ", "text")
    with pytest.raises(NoTextFound):
        to_body("<html><body><nav></nav></body></html>", "html")


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="Unknown format"):
        to_body("text", "pdf")


@pytest.mark.parametrize(
    ("filename", "fmt"),
    [
        ("a.txt", "text"),
        ("a.MD", "markdown"),
        ("a.markdown", "markdown"),
        ("a.htm", "html"),
        ("a.html", "html"),
    ],
)
def test_it_guesses_an_uploads_format_by_its_extension(filename, fmt):
    assert guess_format(filename, "whatever the content") == fmt


def test_it_guesses_an_uploads_format_by_its_content_when_the_extension_says_nothing():
    assert guess_format(None, PAGE) == "html"
    assert guess_format("page.dat", "<p>A fragment.</p>") == "html"
    assert guess_format(None, '\n  <section class="story"><p>A fragment.</p></section>') == "html"
    assert guess_format(None, "<3 tea. A plain text that opens with a heart.") == "text"
    assert guess_format(None, MARKDOWN) == "markdown"
    with_a_link = "A plain sentence.\nAnother one with a [link](https://x.org)."
    assert guess_format("notes", with_a_link) == "markdown"
    assert guess_format(None, "A plain text.\n- with a list line\nand a line after it.") == "text"


@needs_seed
def test_it_guesses_that_the_seed_article_is_plain_text():
    assert guess_format(None, article_text()) == "text"
