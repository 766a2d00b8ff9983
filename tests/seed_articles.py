"""The seed articles of content/, read straight from their Markdown metadata
(without Pelican), so that tests compare the built site with the sources."""

import datetime
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def read_metadata(path):
    metadata = {}
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        metadata[key.strip().lower()] = value.strip()
    return metadata


def seed_articles():
    articles = []
    for path in sorted((ROOT / "content" / "articles").rglob("*.md")):
        meta = read_metadata(path)
        meta["path"] = path
        meta["date"] = datetime.date.fromisoformat(meta["date"])
        meta["institutions"] = [name.strip() for name in meta["institutions"].split(",")]
        meta["url"] = f"{meta['date']:%Y}/{meta['date']:%m}/{meta['slug']}/"
        articles.append(meta)
    return articles
