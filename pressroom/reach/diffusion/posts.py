"""The text of each network's post, in French, from a release of the published build: the title,
the chapô cut at a word boundary with « … » when the network's limit needs it, and the permanent
link; the lead photo and its description read from the release's page.

Each network counts in its own units: Telegram in UTF-16 code units, Mastodon in graphemes with
every address counted as a fixed number of characters, Bluesky in graphemes."""

import dataclasses
import io
import os
import pathlib
from urllib.parse import unquote, urlsplit

import regex
from bs4 import BeautifulSoup
from PIL import Image

from pressroom.content.images import flattened, jpeg_bytes

ELLIPSIS = "…"
TRIMMED_BEFORE_ELLIPSIS = " ,;:.–—-"
ADDRESS = regex.compile(r"https?://\S+")
THUMBNAIL_MAX_BYTES = 1_000_000  # Bluesky's limit for a blob shown as a link card's thumbnail


# --- Counting ------------------------------------------------------------------


def graphemes(text):
    """What a reader sees as one character each (an emoji with its modifiers, a letter and its accent)."""
    return len(regex.findall(r"\X", text))


def utf16_units(text):
    return len(text.encode("utf-16-le")) // 2


def mastodon_length(reserved_per_address):
    """Mastodon's count: graphemes, each web address counting as ``reserved_per_address``."""

    def length(text):
        return graphemes(ADDRESS.sub("x" * reserved_per_address, text))

    return length


# --- Fitting -------------------------------------------------------------------


def shortened(text, words):
    """The first ``words`` words of ``text`` followed by « … » ('' for none)."""
    if words <= 0:
        return ""
    return " ".join(text.split()[:words]).rstrip(TRIMMED_BEFORE_ELLIPSIS) + ELLIPSIS


def fits(parts, limit, length):
    return length("\n\n".join(part for part in parts if part)) <= limit


def cut_to_fit(text, before, after, limit, length):
    """``text`` whole when ``before + text + after`` fits, else its longest cut at a word boundary that does."""
    if fits([*before, text, *after], limit, length):
        return text
    words = len(text.split())
    low, high = 0, words - 1  # the longest count of words that fits, found by halving (the length grows with it)
    while low < high:
        middle = (low + high + 1) // 2
        if fits([*before, shortened(text, middle), *after], limit, length):
            low = middle
        else:
            high = middle - 1
    return shortened(text, low)


def post_text(title, summary, link, limit, length):
    """« Title\\n\\nChapô\\n\\nhttps://… » within ``limit`` as ``length`` counts: the chapô is cut first,
    then the title; the link is never cut."""
    summary = cut_to_fit(summary, [title], [link], limit, length)
    if not summary:
        title = cut_to_fit(title, [], [link], limit, length)
    return "\n\n".join(part for part in (title, summary, link) if part)


# --- What the published build says about a release -----------------------------


@dataclasses.dataclass(frozen=True)
class Photo:
    path: pathlib.Path  # the JPEG of the published build
    alt: str

    def data(self):
        return self.path.read_bytes()

    def thumbnail(self, max_bytes=THUMBNAIL_MAX_BYTES):
        """The JPEG itself when small enough, else re-encoded (then halved) until it fits ``max_bytes``."""
        data = self.data()
        if len(data) <= max_bytes:
            return data
        with Image.open(io.BytesIO(data)) as opened:
            image = flattened(opened)
        while True:
            for quality in (85, 70, 55, 40):
                data = jpeg_bytes(image, quality)
                if len(data) <= max_bytes:
                    return data
            image = image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.Resampling.LANCZOS)


@dataclasses.dataclass(frozen=True)
class Announcement:
    """One release to post: its feed entry (pressroom.reach.alert_messages.Release), institution and photo."""

    institution: object
    release: object
    photo: Photo | None = None

    @property
    def title(self):
        return self.release.title

    @property
    def summary(self):
        return self.release.summary

    @property
    def link(self):
        return self.release.link


def local_file(output, address):
    """The file of the published build that ``address`` names (its path's longest ending found in
    ``output``, so a site below a sub-folder works too), or None; never a file outside ``output``."""
    root = pathlib.Path(output).resolve()
    parts = [unquote(part) for part in urlsplit(address).path.split("/") if part]
    if any(part in (os.curdir, os.pardir) or os.sep in part for part in parts):
        return None
    for start in range(len(parts) + 1):
        candidate = root.joinpath(*parts[start:])
        if candidate.is_dir():
            candidate = candidate / "index.html"
        if candidate.is_file() and candidate.resolve().is_relative_to(root):
            return candidate
    return None


def lead_photo(output, release):
    """The lead photo of the release's page (its JPEG and its Image-Alt), or None. Only a file of
    the site itself: a photo the page would take from another address is not sent."""
    page = local_file(output, release.link)
    if page is None:
        return None
    image = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("figure.lead-photo img")
    source = image.get("src", "") if image else ""
    if urlsplit(source).netloc != urlsplit(release.link).netloc:
        return None
    path = local_file(output, source)
    return Photo(path, image.get("alt", "").strip()) if path else None


def announcement(output, institution, release):
    return Announcement(institution, release, lead_photo(output, release))
