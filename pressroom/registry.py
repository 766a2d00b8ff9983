"""The institution registry: one entry per institution, read from YAML."""

import dataclasses
import unicodedata

import yaml
from pelican.utils import slugify


def normalize(name):
    """Compare names without case, accents or surrounding spaces: 'Cmss' is 'CMSS'."""
    decomposed = unicodedata.normalize("NFKD", name.strip())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("’", "'").casefold().split())


@dataclasses.dataclass(frozen=True)
class Institution:
    acronym: str
    name: str
    country: str = ""
    website: str = ""
    description: str = ""
    aliases: tuple = ()
    press_contact: tuple = ()
    alerts: tuple = ()  # (key, address) pairs of the « alertes » mapping: e-mail lists

    @property
    def slug(self):
        return slugify(self.acronym, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])

    def __str__(self):
        return self.acronym


class RegistryError(Exception):
    pass


class Registry:
    """Institutions by acronym, looked up without case or accents."""

    def __init__(self, institutions):
        self.institutions = sorted(institutions, key=lambda i: normalize(i.acronym))
        self._by_key = {}
        for institution in self.institutions:
            for key in (institution.acronym, institution.name, *institution.aliases):
                self._by_key.setdefault(normalize(key), institution)

    @classmethod
    def load(cls, path):
        try:
            with open(path, encoding="utf-8") as source:
                data = yaml.safe_load(source) or {}
        except OSError as error:
            raise RegistryError(f"{path}: registre des institutions illisible ({error.strerror})") from None
        except yaml.YAMLError as error:
            raise RegistryError(f"{path}: registre des institutions mal formé : {error}") from None
        return cls(_institution(path, acronym, entry) for acronym, entry in data.items())

    def find(self, name):
        """The institution named by an acronym, full name or variant, or None."""
        return self._by_key.get(normalize(name))

    def __iter__(self):
        return iter(self.institutions)

    def __len__(self):
        return len(self.institutions)


def _institution(path, acronym, entry):
    if not isinstance(entry, dict) or not entry.get("nom"):
        raise RegistryError(f"{path}: {acronym}: champ « nom » manquant — indiquez le nom complet de l'institution")
    contact = entry.get("contact_presse") or {}
    alerts = entry.get("alertes") or {}
    if not isinstance(alerts, dict):
        raise RegistryError(
            f"{path}: {acronym}: champ « alertes » : des clés attendues (annonces, quotidien…) — voir README"
        )
    return Institution(
        acronym=str(acronym),
        name=entry["nom"],
        country=entry.get("pays", ""),
        website=entry.get("site", "") or "",
        description=entry.get("description", ""),
        aliases=tuple(entry.get("variantes", ())),
        press_contact=tuple((k, str(v)) for k, v in contact.items()),
        alerts=tuple((k, str(v)) for k, v in alerts.items()),
    )
