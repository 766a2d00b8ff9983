"""Small text helpers shared by the plugins and the package: folding for
comparisons, plain text of an HTML fragment, absolute URLs."""

import html
import re
import unicodedata
import urllib.parse

TAGS = re.compile(r"<[^>]*>")
BLANKS = re.compile(r"[ \t\r\n]+")  # not str.split(): it would drop the no-break spaces
# Invisible format characters (Unicode class Cf) that French text never needs: direction overrides
# and isolates (U+202A–U+202E, U+2066–U+2069), which can show a text other than the one written,
# zero-width spaces, a byte order mark inside a text, tag characters… Refused in every source file
# (pressroom.content.schema.check_characters) and removed from bodies (pressroom.content.body.sanitize). Kept: the
# soft hyphen U+00AD (where a long French word may break) and the zero-width joiner U+200D (emoji).
INVISIBLE = re.compile(
    "[\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200c\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def fold(text):
    """Text compared without case, accents, apostrophe style or extra spaces: « Août » is « aout »."""
    decomposed = unicodedata.normalize("NFKD", str(text).strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").casefold().split())


def plain_text(fragment):
    """Text of an HTML fragment on one line, entities decoded, no-break spaces kept. Stripped
    twice: markup that an author wrote in a summary (escaped by the reader) never comes back
    as markup in a description, a feed or a calendar, whatever reads it."""
    once = html.unescape(TAGS.sub("", str(fragment or "")))
    return BLANKS.sub(" ", html.unescape(TAGS.sub("", once))).strip()


def absolute_url(site_url, url):
    """``url`` (relative to the site root, or already absolute) under ``site_url``."""
    if re.match(r"^[a-z]+://", url):
        return url
    return site_url.rstrip("/") + "/" + url.lstrip("/")


def file_size(size):
    """A file size as French readers write it: « 240 Ko », « 3,2 Mo » (1 Ko = 1 024 octets)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}\u00a0Ko"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + "\u00a0Mo"


def is_web_address(text):
    """A complete http or https address, without spaces: what a Source field and a registry « site » hold."""
    parts = urllib.parse.urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in text)
