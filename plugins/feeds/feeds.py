"""Feeds: the Atom and RSS feeds' titles written as the text they are, and the feeds' language.

Signal: ``get_writer`` gives Pelican a writer (``pressroom.build.engine.Writer``'s hooks) whose
feeds keep « <script> » written in a title as text (Pelican strips tags from feed titles) and the
no-break spaces of French typography, and say their language (Atom ``xml:lang``, RSS
``<language>``), so that feed readers choose French hyphenation and voices.
"""

from markupsafe import Markup
from pelican import signals

from pressroom.build import engine

__all__ = ["register"]


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


class TextTitleWriter(engine.Writer):
    """Pelican strips tags from feed titles, so « <script> » written in a title would vanish; its
    feeds say no language, so readers cannot choose French hyphenation and voices."""

    def new_feed(self, feed_type, feed_title, context):
        feed = super().new_feed(feed_type, None, context)
        if feed_title:
            feed.feed["title"] = f"{feed.feed['title']} — {Markup(feed_title).striptags()}"
        feed.feed["language"] = context.get("DEFAULT_LANG") or "fr"  # Atom xml:lang, RSS <language>
        return feed

    def feed_item(self, feed, item):
        super().feed_item(feed, _TextTitle(item))


def get_writer(pelican):
    return TextTitleWriter


def register():
    signals.get_writer.connect(get_writer)
