"""Press contacts of the institutions, from the registry's ``contact_presse``:
one reading shared by the article pages (press plugin) and the calendars (events)."""

import dataclasses

import vobject

from pressroom.settings import setting

KEYS = {
    "name": ("nom", "name"),
    "role": ("fonction", "role"),
    "email": ("courriel", "email", "e-mail", "mail"),
    "phone": ("telephone", "téléphone", "tel"),
}


@dataclasses.dataclass(frozen=True)
class PressContact:
    institution: object  # an institution, or its page (acronym, name, url, website)
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


def contact_from(institution, pairs):
    fields = {str(key).lower(): str(value or "").strip() for key, value in pairs}
    found = {attribute: next((fields[k] for k in keys if fields.get(k)), "") for attribute, keys in KEYS.items()}
    return PressContact(institution, **found)


def press_contact(institution):
    """The press contact of an institution from its registry entry."""
    return contact_from(institution, getattr(institution, "press_contact", ()))


def site_contact(settings):
    """The site's own press contact (PRESS_CONTACT_DEFAULT), shown where an institution's is unknown."""
    return contact_from(None, dict(setting(settings, "PRESS_CONTACT_DEFAULT") or {}).items())


# --- Spokespeople (the registry's « porte_parole ») and their vCards -------------------


@dataclasses.dataclass(frozen=True)
class SpokespersonCard:
    """A spokesperson as pages show it: the registry's entry, its institution and its vCard's address."""

    person: object  # a pressroom.content.registry.Spokesperson
    institution: object  # an institution page (acronym, name, url)
    vcard_url: str

    def __getattr__(self, name):
        return getattr(self.person, name)

    @property
    def phone_uri(self):
        return "tel:" + self.person.phone


def spokesperson_cards(institution, settings):
    """The cards of an institution's spokespeople, in the registry's order."""
    pattern = setting(settings, "SPOKESPERSON_VCARD_SAVE_AS")
    return [
        SpokespersonCard(person, institution, pattern.format(institution=institution.slug, slug=person.slug))
        for person in institution.spokespeople
    ]


def vcard(card):
    """The vCard 4.0 (RFC 6350) of a spokesperson card, as UTF-8 bytes, written with vobject."""
    person = card.person
    entry = vobject.vCard()
    entry.add("version").value = "4.0"
    entry.add("fn").value = person.name
    entry.add("org").value = [card.institution.name or card.institution.acronym]
    if person.role:
        entry.add("title").value = person.role
    if person.phone:
        phone = entry.add("tel")
        phone.value = "tel:" + person.phone
        phone.params["VALUE"] = ["uri"]
        phone.params["TYPE"] = ["work", "voice"]
    if person.email:
        entry.add("email").value = person.email
    for rank, language in enumerate(person.languages, start=1):
        lang = entry.add("lang")
        lang.value = language
        lang.params["PREF"] = [str(rank)]
    return entry.serialize().encode("utf-8")
