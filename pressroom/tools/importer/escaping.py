"""Imported text written as text: whatever the source page held, nothing it says becomes
markup in the built page.

Markdown would turn ``<script>``, ``[lien](javascript:…)``, ``{: onclick=…}`` (attribute lists)
or ``*…*`` into HTML; the HTML characters are written as entities and the Markdown
punctuation is escaped with a backslash, so the page shows exactly the characters of the source."""

import html
import re
import urllib.parse

# Punctuation that opens a Markdown construct anywhere in a line.
_INLINE = re.compile(r"([\\`*_{}\[\]()!])")
# Punctuation that opens a block only at the start of a line: headings, lists ("- ", "+ ", "1. ").
_LINE_START = re.compile(r"^([#+-]|\d+(?=\.))")
_ORDERED = re.compile(r"^(\d+)\.")
_BACKSLASHED = re.compile(r"\\([\\`*_{}\[\]()!#+.-])")
ALLOWED_URL_SCHEMES = ("http", "https")


def html_text(text):
    """``<``, ``>``, ``&`` and ``"`` as entities: the text can go in an element or an attribute."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def header_value(text):
    """A header field (Title, Event…) on one line. Not HTML-escaped: the theme escapes every
    field it prints (Jinja autoescape), so entities here would be shown as "&lt;"."""
    return " ".join(text.split())


def paragraph(text):
    """A body paragraph: HTML characters as entities, Markdown punctuation backslashed."""
    escaped = _INLINE.sub(r"\\\1", html_text(" ".join(text.split())))
    if _ORDERED.match(escaped):
        return _ORDERED.sub(r"\1\\.", escaped, count=1)
    return _LINE_START.sub(r"\\\1", escaped, count=1)


def plain(text):
    """The text a paragraph or a header value was written from (for comparisons)."""
    return html.unescape(_BACKSLASHED.sub(r"\1", text))


def web_address(url):
    """The URL when it is an http(s) address with a host, else "" (javascript:, data:, file:…)."""
    url = (url or "").strip()
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return ""
    parts = urllib.parse.urlsplit(url)
    return url if parts.scheme.lower() in ALLOWED_URL_SCHEMES and parts.netloc else ""
