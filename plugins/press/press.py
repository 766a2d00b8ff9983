"""For journalists: the press contact of each institution of an article (from
the registry's ``contact_presse``), a ready-made citation and plain share
links (no JavaScript, nothing loaded from another host).

Signals: the pipeline's ``press`` stage (after ``institutions`` and
``sharing``, which give ``article.institutions`` and ``article.permalink``)
gives every article ``press_contacts``, ``citation`` and ``share_links``, read
by ``includes/press_contact.html`` and ``includes/cite.html``.

Registry schema (content/institutions.yml), every key optional::

    contact_presse:
      nom: Service communication et relations publiques
      courriel: presse@exemple.ml
      telephone: "+223 20 00 00 00"

Only contacts published by the institution belong there: when none is
known the page says « Contact presse : non renseigné » and points to the
institution's website and page rather than inventing one.
"""

from urllib.parse import quote

from pressroom import frdates, pipeline
from pressroom.contacts import press_contact
from pressroom.settings import setting

__all__ = ["register", "citation", "share_links"]


def citation(article):
    """« Titre », CMSS, UNTM, 8 octobre 2024, https://…/2024/10/slug/"""
    parts = [f"«\u202f{article.title}\u202f»"]
    parts += [institution.acronym for institution in getattr(article, "institutions", [])]
    parts += [frdates.short_date(article.date), article.permalink]
    return ", ".join(parts)


def share_links(article):
    """(label, href) pairs: plain links that load nothing until followed."""
    text = f"{article.title} {article.permalink}"
    return [
        ("Envoyer par courriel", f"mailto:?subject={quote(article.title)}&body={quote(text)}"),
        ("Partager sur WhatsApp", f"https://wa.me/?text={quote(text)}"),
    ]


def attach_press_tools(generators):
    share = setting(generators[0].settings, "PRESS_SHARE_LINKS")
    for article in pipeline.articles(generators):
        article.press_contacts = [press_contact(i) for i in article.institutions]
        article.citation = citation(article)
        article.share_links = share_links(article) if share else []


def register():
    pipeline.connect("press", attach_press_tools)
