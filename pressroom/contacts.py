"""Press contacts of the institutions, from the registry's ``contact_presse``:
one reading shared by the article pages (press plugin) and the calendars (events)."""

import dataclasses

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


def press_contact(institution):
    """The press contact of an institution from its registry entry."""
    fields = {key.lower(): str(value).strip() for key, value in getattr(institution, "press_contact", ())}
    found = {attribute: next((fields[k] for k in keys if fields.get(k)), "") for attribute, keys in KEYS.items()}
    return PressContact(institution, **found)
