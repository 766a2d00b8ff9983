"""For journalists: the press contact of each institution of an article (from
the registry's ``contact_presse``), a ready-made citation and plain share
links (no JavaScript, nothing loaded from another host).

Signals: ``all_generators_finalized`` (after the institutions plugin has
resolved ``article.institutions`` and the seo plugin has set
``article.permalink``) gives every article ``press_contacts``, ``citation``
and ``share_links``, read by ``includes/press_contact.html`` and
``includes/cite.html``.

Registry schema (content/institutions.yml), every key optional::

    contact_presse:
      nom: Service communication et relations publiques
      courriel: presse@exemple.ml
      telephone: "+223 20 00 00 00"

Only contacts published by the institution belong there: when none is
known the page says « Contact presse : non renseigné » and points to the
institution's website and page rather than inventing one.
"""

import dataclasses
from urllib.parse import quote

from pelican import signals

from pressroom import frdates

__all__ = ["register", "PressContact", "press_contact", "citation", "share_links"]

DEFAULTS = {
    "PRESS_SHARE_LINKS": True,
}
CONTACT_KEYS = {
    "name": ("nom", "name"),
    "role": ("fonction", "role"),
    "email": ("courriel", "email", "e-mail"),
    "phone": ("telephone", "téléphone", "tel"),
}


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


@dataclasses.dataclass(frozen=True)
class PressContact:
    institution: object  # the institutions plugin's InstitutionPage (acronym, name, url, website)
    name: str = ""
    role: str = ""
    email: str = ""
    phone: str = ""

    @property
    def known(self):
        return bool(self.name or self.email or self.phone)

    @property
    def phone_uri(self):
        return "tel:" + "".join(c for c in self.phone if c.isdigit() or c == "+")


def press_contact(institution):
    """The press contact of an institution from its registry entry."""
    fields = {key.lower(): value.strip() for key, value in getattr(institution, "press_contact", ())}
    found = {
        attribute: next((fields[k] for k in keys if fields.get(k)), "") for attribute, keys in CONTACT_KEYS.items()
    }
    return PressContact(institution, **found)


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
    for generator in generators:
        if not (hasattr(generator, "articles") and hasattr(generator, "drafts")):
            continue
        for article in generator.articles + generator.translations + generator.drafts:
            article.press_contacts = [press_contact(i) for i in getattr(article, "institutions", [])]
            article.citation = citation(article)
            article.share_links = share_links(article) if get_setting(generator.settings, "PRESS_SHARE_LINKS") else []


def register():
    signals.all_generators_finalized.connect(attach_press_tools)
