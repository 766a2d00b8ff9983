"""Reading a raw article: the text copied from a page (.txt) or the saved page (.html)."""

import dataclasses
import pathlib
import re

from bs4 import BeautifulSoup

# Parts of a WordPress-like page that are never the article: elements by name, and elements
# whose class or id contains one of these words.
CRUFT_ELEMENTS = frozenset(
    ("script", "style", "noscript", "iframe", "frame", "object", "embed", "form", "nav", "header", "footer")
    + ("aside", "figcaption", "template", "svg", "button", "select", "textarea")
)
CRUFT_CLASSES = (
    "breadcrumb",
    "share",
    "social",
    "comment",
    "respond",
    "related",
    "sidebar",
    "widget",
    "menu",
    "wp-caption-text",
    "navigation",
    "author-box",
    "tags",
)
CRUFT_IDS = ("breadcrumb", "comments", "respond", "sidebar")
KEPT_ELEMENTS = ("html", "body", "article", "main")
ARTICLE_CONTAINERS = ("article .entry-content", ".entry-content", ".post-content", "article", "main", "body")
BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote")
AUTHOR_CLASSES = ("entry-author", "vcard")
MAX_BYTES = 20 * 1024 * 1024
DATE_CLASSES = ("date", "created", "published")


@dataclasses.dataclass
class Source:
    """The lines of a raw article, and what the page said about itself (HTML only)."""

    path: pathlib.Path
    lines: list
    title: str = ""
    date: str = ""
    date_line: str = ""  # the text of the page's date element ("Publié le 8 Janvier 2026")
    author: str = ""
    url: str = ""
    breadcrumbs: list = dataclasses.field(default_factory=list)


class SourceTooLarge(Exception):
    """A raw article over MAX_BYTES: refused before it is read."""


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def read_source(path):
    path = pathlib.Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceTooLarge(
            f"fichier trop volumineux ({_megabytes(size)} Mo, limite {_megabytes(MAX_BYTES)} Mo)"
            " — enregistrez seulement la page de l'article, ou copiez son texte dans un fichier .txt"
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        return read_html(path, text)
    return Source(path, text.splitlines())


def _is_date_element(classes):
    """An element that shows the publication date: class "date", "post-date", "created"…"""
    classes = classes.lower()
    return any(word in classes for word in DATE_CLASSES) and not any(word in classes for word in ("update", "modif"))


class PageFacts:
    """What a saved page says about itself (meta tags, headline, time, author, canonical link),
    gathered in one walk of the page."""

    def __init__(self, soup):
        self.meta, self.headings, self.times, self.authors, self.canonical = {}, [], [], [], ""
        self.breadcrumbs, self.date_lines = [], []
        for tag in soup.find_all(True):
            self._see(tag)

    def _see(self, tag):
        name, classes = tag.name, " ".join(tag.get("class") or ())
        if name == "meta":
            key = tag.get("property") or tag.get("name")
            if key and str(tag.get("content", "")).strip():
                self.meta.setdefault(str(key).lower(), str(tag["content"]).strip())
        elif name == "h1":
            self.headings.append(tag)
        elif name == "time" and tag.get("datetime"):
            self.times.append(tag)
        elif name == "link" and "canonical" in (tag.get("rel") or ()) and not self.canonical:
            self.canonical = str(tag.get("href", ""))
        if "author" in (tag.get("rel") or ()) or any(word in classes for word in AUTHOR_CLASSES):
            self.authors.append(tag)
        if _is_date_element(classes) and not self.date_lines:
            self.date_lines.append(tag.get_text(" ", strip=True))
        if "breadcrumb" in classes:
            self.breadcrumbs.append(tag.get_text(" / ", strip=True))

    def first_meta(self, *names):
        return next((self.meta[name] for name in names if name in self.meta), "")

    def title(self, soup):
        in_article = [h for h in self.headings if h.find_parent(["article", "main"])]
        for heading in in_article + self.headings:
            if heading.get_text(strip=True):
                return heading.get_text(" ", strip=True)
        title = self.first_meta("og:title") or (soup.title.get_text(strip=True) if soup.title else "")
        return re.split(r"\s+[|–—-]\s+", title)[0] if title else ""

    def date(self):
        in_article = [t for t in self.times if t.find_parent("article")]
        time = (in_article + self.times)[:1]
        return self.first_meta("article:published_time", "date", "dc.date") or (time[0]["datetime"] if time else "")

    def author(self):
        tag = self.authors[0] if self.authors else None
        return self.first_meta("author", "article:author") or (tag.get_text(" ", strip=True) if tag else "")

    def date_line(self):
        return self.date_lines[0] if self.date_lines else ""

    def url(self):
        return self.canonical or self.first_meta("og:url")


def _is_cruft(tag):
    if tag.name in KEPT_ELEMENTS:
        return False
    if tag.name in CRUFT_ELEMENTS:
        return True
    classes = " ".join(tag.get("class") or ()).lower()
    identifier = str(tag.get("id") or "").lower()
    return any(word in classes for word in CRUFT_CLASSES) or any(word in identifier for word in CRUFT_IDS)


def remove_cruft(soup):
    """Drop menus, share bars, comments, scripts… in one walk of the page."""
    for tag in [tag for tag in soup.find_all(True) if _is_cruft(tag)]:
        if not tag.decomposed:
            tag.decompose()


def _container(soup):
    """The element holding the article text: the first of ARTICLE_CONTAINERS found."""
    for selector in ARTICLE_CONTAINERS:
        found = soup.select_one(selector)
        if found:
            return found
    return soup


def _blocks(container):
    """Text of the paragraphs, list items and quotes, outermost list item or quote only."""
    lines = []
    for block in container.find_all(BLOCKS):
        nested = any(parent.name in ("li", "blockquote") for parent in block.parents)
        if not nested or block.name in ("li", "blockquote"):
            lines.append(block.get_text(" ", strip=True))
    return lines


def read_html(path, text):
    soup = BeautifulSoup(text, "html.parser")
    page = PageFacts(soup)
    title, date, author, url = page.title(soup), page.date(), page.author(), page.url()
    remove_cruft(soup)
    container = _container(soup)
    for heading in container.find_all("h1"):
        heading.decompose()
    return Source(
        path,
        _blocks(container),
        title=title,
        date=date,
        date_line=page.date_line(),
        author=author,
        url=url,
        breadcrumbs=page.breadcrumbs,
    )
