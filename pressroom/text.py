"""Small text helpers shared by the plugins and the package: folding for
comparisons, plain text of an HTML fragment, absolute URLs."""

import html
import re
import unicodedata

TAGS = re.compile(r"<[^>]*>")
BLANKS = re.compile(r"[ \t\r\n]+")  # not str.split(): it would drop the no-break spaces


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
