"""Press contacts of the institutions, from the registry's ``contact_presse``:
one reading shared by the article pages (press plugin) and the calendars (events)."""

import dataclasses

from .settings import setting

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
