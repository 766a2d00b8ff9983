"""Feeds: the Atom and RSS feeds' titles written as the text they are, and the feeds' language.

Signal: ``get_writer`` gives Pelican a writer (``pressroom.build.engine.Writer``'s hooks) whose
feeds keep « <script> » written in a title as text (Pelican strips tags from feed titles) and the
no-break spaces of French typography, and say their language (Atom ``xml:lang``, RSS
``<language>``), so that feed readers choose French hyphenation and voices. A feed with no entry
yet (an institution that has published nothing) is dated by the site's latest release rather than
by the time of the build: two builds of one content give the same bytes.
"""

import datetime
import functools

from markupsafe import Markup
from pelican import signals

from pressroom.build import engine

__all__ = ["register"]

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


# Markup.striptags() joins words with plain spaces, then unescapes: no-break
# spaces written as character references survive it.
NO_BREAK_SPACES = str.maketrans({"\u202f": "&#8239;", "\u00a0": "&#160;"})


class _TextTitle:
    """An article seen by the feed writer: its title is text, escaped before Pelican strips
    tags, with the no-break spaces of French typography kept."""

    def __init__(self, item):
        self._item = item
        escaped = Markup.escape(item.title)  # a Markup title (already HTML) is kept as it is
        self.title = Markup(str(escaped).translate(NO_BREAK_SPACES))

    def __getattr__(self, name):
        return getattr(self._item, name)


def latest_or(feed, fallback):
    """The feed's latest entry date, or ``fallback`` when it has no entry."""
    dates = [item.get(key) for item in feed.items for key in ("updateddate", "pubdate") if item.get(key)]
    return max(dates) if dates else fallback


class TextTitleWriter(engine.Writer):
    """Pelican strips tags from feed titles, so « <script> » written in a title would vanish; its
    feeds say no language, so readers cannot choose French hyphenation and voices."""

    def new_feed(self, feed_type, feed_title, context):
        feed = super().new_feed(feed_type, None, context)
        if feed_title:
            feed.feed["title"] = f"{feed.feed['title']} — {Markup(feed_title).striptags()}"
        feed.feed["language"] = context.get("DEFAULT_LANG") or "fr"  # Atom xml:lang, RSS <language>
        latest = next((article.date for article in context.get("articles", [])), EPOCH)
        feed.latest_post_date = functools.partial(latest_or, feed, latest)
        return feed

    def feed_item(self, feed, item):
        super().feed_item(feed, _TextTitle(item))


def get_writer(pelican):
    return TextTitleWriter


def register():
    signals.get_writer.connect(get_writer)
