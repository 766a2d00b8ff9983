"""The published articles of the tests' own site (tests/fixtures/site), read straight from their Markdown metadata
(without Pelican), so that tests compare the built site with the sources."""

import datetime
import pathlib

from conftest import FIXTURE_SITE

from plugins.typography.typography import typeset
from pressroom.content.header import markdown_header

ROOT = pathlib.Path(__file__).resolve().parents[1]


def read_metadata(path):
    """Metadata of a Markdown article as written, lower-case field names (as Pelican reads them)."""
    return markdown_header(path)


def seed_articles():
    articles = []
    for path in sorted((FIXTURE_SITE / "articles").rglob("*.md")):
        meta = read_metadata(path)
        if meta.get("status", "published") != "published":
            continue  # a draft is on no page
        meta["path"] = path
        meta["date"] = datetime.date.fromisoformat(meta["date"][:10])
        meta["institutions"] = [name.strip() for name in meta["institutions"].split(",")]
        meta["organisers"] = [name.strip() for name in meta.get("event-organizers", "").split(",") if name.strip()]
        # as the site shows it: French typography (plugins/typography) applied
        meta["source_title"], meta["title"] = meta["title"], typeset(meta["title"])
        for name in ("event", "event-location"):
            if name in meta:
                meta[name] = typeset(meta[name])
        meta["url"] = f"{meta['date']:%Y}/{meta['date']:%m}/{meta['slug']}/"
        articles.append(meta)
    return articles
