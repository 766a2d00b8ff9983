"""For journalists: the press contacts and spokespeople of an article's institutions, related
releases, a media kit, a ready-made citation and plain share links (no JavaScript, nothing loaded
from another host), and embargoed releases given ahead of time at a secret address.

Signals: the pipeline's ``addresses`` stage gives an embargoed release that has a Preview-Token its
``embargo_preview`` and its secret address (pressroom.content.embargo); the ``press`` stage (after
``institutions`` and ``sharing``, which give ``article.institutions`` and ``article.permalink``)
gives every article ``press_contacts``, ``spokesperson`` (the card of its ``Spokesperson``, shown
first), ``related`` (pressroom.content.related), ``media_kit`` (pressroom.build.mediakit), ``citation``,
``sms_text`` (``SMS``, or the title and permanent link in the GSM alphabet) and ``share_links``,
read by the includes of ``article.html``; ``get_generators`` adds the generator that writes the
media kits and the redirects of the secret addresses whose embargo has lifted.

Registry schema (content/institutions.yml), every key optional::

    contact_presse:
      nom: Service communication et relations publiques
      courriel: presse@exemple.ml
      telephone: "+223 20 00 00 00"

Only contacts published by the institution belong there: when none is
known the page shows the site's own contact (PRESS_CONTACT_DEFAULT), or says
« non renseigné » and points to the institution's website and to the
contacts page rather than inventing one.
"""

from urllib.parse import quote

from pelican import signals
from pelican.generators import Generator

from pressroom.build import mediakit, pipeline
from pressroom.build.output import write_output
from pressroom.content import embargo, frdates, related, schema
from pressroom.content.contacts import press_contact, site_contact
from pressroom.content.registry import normalize
from pressroom.content.sms import derived_sms
from pressroom.content.text import plain_text
from pressroom.settings import setting

__all__ = ["register", "citation", "share_links"]


def citation(article):
    """« Titre », CMSS, UNTM, 8 octobre 2024, https://…/2024/10/slug/"""
    parts = [f"«\u202f{article.title}\u202f»"]
    parts += [institution.acronym for institution in getattr(article, "institutions", [])]
    parts += [frdates.short_date(article.date), article.permalink]
    return ", ".join(parts)


def sms_text(article):
    """The ``SMS`` of an article as written (lint checked it), else its title and permanent link."""
    return schema.fields_of(article).sms or derived_sms(plain_text(article.title), article.permalink)


def share_links(article):
    """(label, href) pairs: plain links that load nothing until followed."""
    text = f"{plain_text(article.title)} {article.permalink}"
    return [
        ("Envoyer par courriel", f"mailto:?subject={quote(plain_text(article.title))}&body={quote(text)}"),
        ("Partager sur WhatsApp", f"https://wa.me/?text={quote(article.sms_text)}"),
        ("Envoyer par SMS", f"sms:?&body={quote(article.sms_text)}"),
    ]


def named_spokesperson(article):
    """The card of the article's ``Spokesperson`` among its institutions' spokespeople, or None
    (lint refused a name that is not there)."""
    wanted = normalize(article.fields.spokesperson) if article.fields.spokesperson else None
    cards = (card for page in article.institutions for card in page.spokesperson_cards)
    return next((card for card in cards if wanted and normalize(card.name) == wanted), None)


def attach_press_tools(generators):
    share = setting(generators[0].settings, "PRESS_SHARE_LINKS")
    generators[0].context["SITE_PRESS_CONTACT"] = site_contact(generators[0].settings)
    for article in pipeline.articles(generators):
        article.press_contacts = [press_contact(i) for i in article.institutions]
        article.spokesperson = named_spokesperson(article)
        article.citation = citation(article)
        article.sms_text = sms_text(article)
        article.share_links = share_links(article) if share else []


def attach_related_releases(generators):
    """Up to three related releases under each listed article, from one pass over the listed ones.
    Every listed article is given its list, also when the preview server has read only some sources
    again: an edited article changes what the others show."""
    listed = pipeline.listed_articles(generators)
    found = related.related_releases(listed)
    for article in pipeline.articles(generators):
        article.related = found.get(id(article), [])
    for article in listed:
        new = found.get(id(article), [])
        if list(map(id, article.related)) != list(map(id, new)):
            article.related = new
            pipeline.mark_page_changed(generators, article)


def attach_preview_photos(generators):
    """The photo of each embargoed release at its secret address (the media stage left it out)."""
    settings = generators[0].settings
    for article in pipeline.articles(generators):
        if article.embargo_preview:
            article.embargo_preview = embargo.with_photo(article.embargo_preview, article, settings)


def attach_media_kits(generators):
    """A media kit for each release published for good that has a photo or attachments."""
    settings = generators[0].settings
    for article in pipeline.articles(generators, drafts=False):
        if pipeline.is_published(article):
            article.media_kit = mediakit.media_kit(article, settings)


def open_embargo_previews(generators):
    """An article kept back by its date that has a Preview-Token is written at its secret address
    only (Pelican writes drafts at DRAFT_SAVE_AS, empty: nowhere else); it stays a draft, in no list."""
    settings = generators[0].settings
    for article in pipeline.articles(generators):
        preview = embargo.preview_of(article, settings)
        if preview:
            article.embargo_preview = preview
            article.override_url, article.override_save_as = preview.url, preview.save_as


class PressRoomGenerator(Generator):
    """Writes each release's media kit beside its page (from the cache), the photo of an embargoed
    release at its secret address, and a redirect from the secret address of a release whose
    embargo has lifted to its public page."""

    def generate_output(self, writer):
        published = self.context.get("articles", []) + self.context.get("hidden_articles", [])
        for article in self.context.get("articles", []):
            kit = article.media_kit
            if kit:
                write_output(self.output_path, kit.url, lambda kit=kit: _read(kit.path))
        for article in self.context.get("drafts", []):
            photo = article.embargo_preview and article.embargo_preview.photo
            if photo:
                write_output(self.output_path, photo.url, lambda p=photo: _read(p.source))
        template = self.get_template(setting(self.settings, "REDIRECT_TEMPLATE"))
        for article in published:
            secret = embargo.lifted_address(article, self.settings)
            if secret and pipeline.is_published(article):
                writer.write_file(
                    secret, template, self.context, self.settings["RELATIVE_URLS"], url=secret, target=article
                )


def _read(path):
    with open(path, "rb") as source:
        return source.read()


def get_generators(pelican):
    return PressRoomGenerator


def register():
    pipeline.connect("press", attach_press_tools)
    pipeline.connect("press", attach_related_releases)
    pipeline.connect("press", attach_media_kits)
    pipeline.connect("press", attach_preview_photos)
    pipeline.connect("addresses", open_embargo_previews)
    signals.get_generators.connect(get_generators)
