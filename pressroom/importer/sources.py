"""Reading a raw article: the text copied from a page (.txt) or the saved page (.html)."""

import dataclasses
import pathlib
import re

from bs4 import BeautifulSoup

# Parts of a WordPress-like page that are never the article.
HTML_CRUFT = (
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
    "figcaption",
    "[class*=breadcrumb]",
    "[id*=breadcrumb]",
    "[class*=share]",
    "[class*=sharedaddy]",
    "[class*=social]",
    "[id*=comments]",
    "[class*=comment]",
    "[id*=respond]",
    "[class*=related]",
    "[class*=sidebar]",
    "[id*=sidebar]",
    "[class*=widget]",
    "[class*=menu]",
    "[class*=wp-caption-text]",
    "[class*=navigation]",
    "[class*=author-box]",
    "[class*=tags]",
)
ARTICLE_CONTAINERS = ("article .entry-content", ".entry-content", ".post-content", "article", "main", "body")
BLOCKS = "p, h2, h3, h4, h5, h6, li, blockquote"


@dataclasses.dataclass
class Source:
    """The lines of a raw article, and what the page said about itself (HTML only)."""

    path: pathlib.Path
    lines: list
    title: str = ""
    date: str = ""
    author: str = ""
    url: str = ""
    breadcrumbs: list = dataclasses.field(default_factory=list)


def read_source(path):
    path = pathlib.Path(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in (".html", ".htm"):
        return read_html(path, text)
    return Source(path, text.splitlines())


def _meta(soup, *names):
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()
    return ""


def _page_title(soup):
    heading = soup.select_one("article h1, main h1, h1")
    if heading and heading.get_text(strip=True):
        return heading.get_text(" ", strip=True)
    title = _meta(soup, "og:title") or (soup.title.get_text(strip=True) if soup.title else "")
    return re.split(r"\s+[|–—-]\s+", title)[0] if title else ""


def _page_date(soup):
    time = soup.select_one("article time[datetime], time.entry-date[datetime], time[datetime]")
    return _meta(soup, "article:published_time", "date", "dc.date") or (time["datetime"] if time else "")


def _page_author(soup):
    tag = soup.select_one("[rel=author], .byline .author, .author.vcard, .entry-author")
    return _meta(soup, "author", "article:author") or (tag.get_text(" ", strip=True) if tag else "")


def _page_url(soup):
    link = soup.find("link", rel="canonical")
    return (link.get("href", "") if link else "") or _meta(soup, "og:url")


def read_html(path, text):
    soup = BeautifulSoup(text, "html.parser")
    title, date, author, url = _page_title(soup), _page_date(soup), _page_author(soup), _page_url(soup)
    breadcrumbs = [crumb.get_text(" / ", strip=True) for crumb in soup.select("[class*=breadcrumb]")]
    for selector in HTML_CRUFT:
        for tag in soup.select(selector):
            if tag.name not in ("html", "body", "article", "main"):
                tag.decompose()
    container = next(filter(None, (soup.select_one(s) for s in ARTICLE_CONTAINERS)), soup)
    for heading in container.find_all("h1"):
        heading.decompose()
    lines = [
        block.get_text(" ", strip=True)
        for block in container.select(BLOCKS)
        if not block.find_parent(["li", "blockquote"]) or block.name in ("li", "blockquote")
    ]
    return Source(path, lines, title=title, date=date, author=author, url=url, breadcrumbs=breadcrumbs)
