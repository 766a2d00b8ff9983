"""The enrichment of articles, in one documented order that does not depend on
the order of ``PLUGINS``.

Once Pelican has read every content (its ``all_generators_finalized`` signal),
``run`` gives each article and page the attributes below with their empty
values, then sends one signal per stage, in the order of ``STAGES``. A plugin
hooks a step of its own to a stage with ``connect``; a stage whose plugin is
not enabled leaves its attributes empty, so the templates never meet a missing
attribute. Within a stage, steps do not depend on one another.

Where the article comes from and where it goes::

    Markdown file → schema and reader (pressroom.content.header, pressroom.content.schema; readers_init)
    → gate (pressroom.build.lint; article_generator_init) → Pelican's Article
    → enrichment (STAGES below; all_generators_finalized)
    → templates (theme/) → outputs: pages, feeds, .ics, search records, .gz copies
"""

import dataclasses

import blinker
from pelican import signals

from pressroom.build import engine
from pressroom.content import schema

STAGES = (
    # content_gate: no two contents at one address; each keeps its checked URL. release:
    # ``corrections``, ``withdrawal`` (withdrawn articles already left the listings).
    # press: ``embargo_preview`` (an embargoed release with a Preview-Token, at its secret address).
    "addresses",
    # institutions: ``institutions`` and ``organisers`` (institution pages), context["institutions"].
    "institutions",
    # events: ``event``, context["events"].
    "events",
    # typography: institution pages known to Pelican's {filename} links.
    "links",
    # media: ``photo``, ``share_image``, ``attachments`` (variants in the cache; the static files cut
    # down to those a written content names, photos among them re-encoded without metadata).
    "media",
    # seo: ``permalink``, ``description``, ``image_url``, ``news_article``, ``breadcrumb_list``.
    "sharing",
    # press: ``press_contacts``, ``spokesperson``, ``related``, ``media_kit``, ``citation``, ``sms_text``,
    # ``share_links``.
    "press",
    # search: one search record per published article page.
    "index",
)


@dataclasses.dataclass
class Enrichment:
    """The attributes the stages give a content, with their values before any stage. Besides
    these, ``fields`` holds each schema field, typed (``fields.author_service``: ``schema.Fields``)."""

    institutions: list = dataclasses.field(default_factory=list)
    organisers: list = dataclasses.field(default_factory=list)
    corrections: list = dataclasses.field(default_factory=list)  # of kinds.Dated, oldest first
    withdrawal: object = None  # a kinds.Dated
    event: object = None
    photo: object = None  # a pressroom.content.images.Photo
    share_image: str = ""  # relative URL of the 1200×630 sharing image
    attachments: list = dataclasses.field(default_factory=list)  # of pressroom.content.files.Download
    permalink: str = ""
    description: str = ""
    image_url: str = ""
    news_article: dict = dataclasses.field(default_factory=dict)
    breadcrumb_list: dict = dataclasses.field(default_factory=dict)
    press_contacts: list = dataclasses.field(default_factory=list)
    spokesperson: object = None  # a pressroom.content.contacts.SpokespersonCard
    related: list = dataclasses.field(default_factory=list)  # up to three articles (pressroom.content.related)
    media_kit: object = None  # a pressroom.build.mediakit.MediaKit, for releases published for good
    embargo_preview: object = None  # a pressroom.content.embargo.EmbargoPreview: written at its secret address only
    citation: str = ""
    sms_text: str = ""
    share_links: list = dataclasses.field(default_factory=list)


# Enrichment attributes that hold other contents shown on a content's own page: the preview
# server's writer (pressroom.preview.selective) writes the page again when one of them changes.
SHOWN_CONTENTS = ("related",)
CHANGED_PAGE = "_pipeline_page_changed"


def mark_page_changed(generators, content):
    """A step changed what the page of a content that was not read again shows (its related
    releases): the preview server, which runs the stages for the contents it read again, writes
    that page too. A full build writes every page: nothing to mark."""
    if is_partial(generators):
        content.__dict__[CHANGED_PAGE] = True


def take_changed_pages(contents):
    """The contents marked by ``mark_page_changed`` since the last call, unmarked."""
    return [content for content in contents if content.__dict__.pop(CHANGED_PAGE, False)]


# Sent by the preview server (pressroom.preview.live) once its pages are written, when the
# ``index`` stage was left for later (SEARCH_AFTER_PAGES): a receiver starts indexing
# and returns an object whose ``finish()`` waits for it.
index_requested = blinker.signal("pressroom.build.pipeline.index_requested")


def stage(name):
    if name not in STAGES:
        raise ValueError(f"étape inconnue du traitement des articles : {name}")
    return blinker.signal(f"pressroom.build.pipeline.{name}")


def connect(name, receiver):
    """Run ``receiver(generators)`` at stage ``name`` of every build."""
    stage(name).connect(receiver)
    signals.all_generators_finalized.connect(run)  # once, however many plugins connect
    # Pelican's archives, listings and translations find their articles by a search of a list: at 100,000
    # articles, minutes. A build of ours finds them by identity (plain Pelican, in the bench, does not).
    signals.article_generator_init.connect(engine.archives_by_identity)
    signals.article_generator_init.connect(engine.translations_paired_by_group)
    signals.article_generator_finalized.connect(engine.listings_by_identity)


ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations")
DRAFT_LISTS = ("drafts", "drafts_translations")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations")
DRAFT_PAGE_LISTS = ("draft_pages", "draft_translations")


class Generators(list):
    """The generators of a build as every stage receives them, with what changed: ``changed`` is
    None in a full build, and the ids of the contents read again when the preview server runs the
    stages after a save (the steps on each content then see only those)."""

    def __init__(self, generators, changed=None):
        super().__init__(generators)
        self.changed = None if changed is None else frozenset(map(id, changed))


def is_partial(generators):
    """Whether the stages run for some contents only (the preview server, after a save)."""
    return getattr(generators, "changed", None) is not None


def _gather(generators, kind, lists):
    gathered = [
        content
        for generator in generators
        if hasattr(generator, kind)
        for name in lists
        for content in getattr(generator, name, [])
    ]
    changed = getattr(generators, "changed", None)
    return gathered if changed is None else [content for content in gathered if id(content) in changed]


def articles(generators, drafts=True):
    """Every article, translations and hidden ones included, drafts unless ``drafts`` is False."""
    return _gather(generators, "articles", ARTICLE_LISTS + (DRAFT_LISTS if drafts else ()))


def pages(generators, drafts=True):
    return _gather(generators, "pages", PAGE_LISTS + (DRAFT_PAGE_LISTS if drafts else ()))


def contents(generators, drafts=True):
    return articles(generators, drafts) + pages(generators, drafts)


def listed_articles(generators):
    """The articles Pelican lists (a preview build's drafts among them, marked), all of them
    even in a run restricted to some contents."""
    return [article for generator in generators for article in getattr(generator, "articles", [])]


def declare(content):
    """The empty value of every enrichment attribute, and ``fields``, the content's typed fields
    (``schema.Fields``). Pelican has set an attribute for each field (``institutions``, ``event``…
    as read): the field's value stays in ``fields``, the attribute is the stage's. ``preview_notice``
    comes earlier, from the gate, on the drafts that a preview build shows."""
    for name, value in dataclasses.asdict(Enrichment()).items():
        setattr(content, name, value)
    content.__dict__.setdefault("preview_notice", "")
    content.fields = schema.fields_of(content)


def run(generators, changed=None):
    """Every stage, in order. With ``changed`` (the contents the preview server read again
    after a save), ``articles``, ``pages`` and ``contents`` give only those contents, so that the
    steps on each content leave the others as they are; ``listed_articles`` still gives
    every listed article, from which the stages make the institution pages and the agenda."""
    generators = Generators(generators, changed)
    for content in contents(generators):
        declare(content)
    for name in STAGES:
        stage(name).send(generators)


def withdrawal(content):
    """The « date — raison » of a withdrawn content (its ``Withdrawn`` field), or None."""
    return schema.fields_of(content).withdrawn


def is_published(content):
    """Published for good, the one definition that the sitemap, the search index and the listings
    share: written, with the status ``published`` (not hidden), not withdrawn, and not a draft that a
    preview build shows. A withdrawn page stays online under its banner, listed nowhere."""
    return (
        content.status == "published"
        and has_output(content)
        and not getattr(content, "preview_notice", "")
        and withdrawal(content) is None
    )


def has_output(content):
    """Whether the content is written somewhere. Pelican formats ``save_as`` anew at each use,
    which costs a second for 10,000 articles; it is final once read, so it is asked once."""
    known = content.__dict__.get("_has_output")
    if known is None:
        known = content.__dict__["_has_output"] = bool(content.save_as)
    return known
