"""A new article, ready to fill: ``invoke new "Titre" --institution CMSS [--author "…"] [--event]``
writes ``content/articles/YYYY/<slug>.md`` with every metadata field and a
French note on what each field expects."""

import datetime
import os
import pathlib
import zoneinfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from .registry import Registry, RegistryError
from .schema import RELEASE_TYPES

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TIMEZONE = zoneinfo.ZoneInfo("Africa/Bamako")

# Pelican reads metadata up to the first blank line and a comment line would end
# it early, so the field notes live in an HTML comment after that blank line; the
# reader removes HTML comments from the body (pressroom.lint.FrenchMetadata), so
# they never reach a page, a feed or the search index.
FIELD_NOTES = """\
<!--
Mode d'emploi de l'en-tête (ce bloc n'est pas affiché sur le site ; vous pouvez le supprimer).
Chaque champ s'écrit « Nom: valeur » sur une seule ligne, sans ligne vide entre les champs.

Title           : le titre de l'article, tel qu'il apparaîtra en haut de la page.
Date            : date et heure de publication, sous la forme AAAA-MM-JJ HH:MM (heure de Bamako).
Author          : prénom et nom de l'auteur (obligatoire) ; plusieurs auteurs séparés par des virgules.
Author-Service  : le service de l'auteur, par exemple CCOM-RP/CMSS (facultatif).
Institutions    : les sigles des institutions concernées, séparés par des virgules ;
                  chaque sigle doit figurer dans content/institutions.yml.
Tags            : les thèmes, séparés par des virgules, par exemple : formation, assurance maladie.
Category        : le type de publication, un seul, dans cette liste : {release_types}.
Summary         : le chapô, une ou deux phrases (300 caractères au plus, obligatoire pour publier),
                  affiché sous le titre, dans les listes et les flux.
Slug            : la fin de l'adresse de la page ; lettres minuscules, chiffres et tirets.
Lang            : la langue de l'article, fr.
Status          : draft tant que l'article n'est pas prêt ; remplacez par published pour le publier.{event_notes}
Image           : pour une photo, placez-la dans content/images/ et insérez-la dans le texte par
                  ![description de la photo]({{static}}/images/nom-du-fichier.jpg)
-->
"""

EVENT_NOTES = """
Event           : le nom de l'événement (atelier, séminaire, conférence…).
Event-Start     : date de début, AAAA-MM-JJ, ou AAAA-MM-JJ HH:MM si l'heure est connue.
Event-End       : date de fin, AAAA-MM-JJ (la même que le début pour un seul jour).
Event-Location  : le lieu, par exemple : Direction générale de la CMSS, Bamako.
Event-Organizers : les sigles des institutions qui organisent l'événement (pas celles qui l'accueillent)."""


class ArticleExists(Exception):
    pass


def article_slug(title):
    """The slug Pelican itself would make from the title."""
    return slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def article_text(title, institution, slug, when, author="", event=False):
    """The Markdown source of a new draft: every field, the notes, a body to replace."""
    fields = [
        ("Title", title),
        ("Date", f"{when:%Y-%m-%d %H:%M}"),
        ("Author", author),
        ("Author-Service", ""),
        ("Institutions", institution),
        ("Tags", ""),
        ("Category", "Communiqué de presse"),
        ("Summary", ""),
    ]
    if event:
        fields += [
            ("Event", ""),
            ("Event-Start", ""),
            ("Event-End", ""),
            ("Event-Location", ""),
            ("Event-Organizers", ""),
        ]
    fields += [("Slug", slug), ("Lang", "fr"), ("Status", "draft")]
    header = "\n".join(f"{name}: {value}".rstrip() for name, value in fields)
    notes = FIELD_NOTES.format(event_notes=EVENT_NOTES if event else "", release_types=", ".join(RELEASE_TYPES))
    body = "Écrivez ici le texte de l'article : un paragraphe par idée, séparés par une ligne vide."
    return f"{header}\n\n{notes}\n{body}\n"


def new_article(title, institution, author="", event=False, content=CONTENT, now=None):
    """Write the new article and return its path; never overwrite an existing file."""
    title = " ".join(title.split())
    if not title:
        raise ValueError('titre vide — indiquez le titre entre guillemets : invoke new "Titre de l\'article"')
    registry = Registry.load(os.path.join(content, "institutions.yml"))
    found = registry.find(institution)
    if found is None:
        known = ", ".join(i.acronym for i in registry)
        raise RegistryError(
            f"institution inconnue « {institution} » — choisissez parmi : {known}, "
            "ou ajoutez-la à content/institutions.yml"
        )
    when = now or datetime.datetime.now(TIMEZONE)
    slug = article_slug(title)
    path = pathlib.Path(content) / "articles" / f"{when:%Y}" / f"{slug}.md"
    if path.exists():
        shown = path.relative_to(pathlib.Path(content).parent)
        raise ArticleExists(f"{shown}: le fichier existe déjà — choisissez un autre titre ou modifiez ce fichier")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as target:
        target.write(article_text(title, found.acronym, slug, when, author.strip(), event))
    return path
