"""A new article, ready to fill: ``invoke new "Titre" --institution CMSS [--author "…"] [--event]``
writes ``content/articles/YYYY/<slug>.md`` with every field of the schema that an
officer fills (``pressroom.content.schema``) and a French note on what each one expects."""

import datetime
import pathlib
import zoneinfo

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from pressroom.content import schema
from pressroom.content.registry import Registry, RegistryError
from pressroom.settings import DEFAULTS, ROOT, registry_path, registry_shown, setting

CONTENT = ROOT / "content"

# Pelican reads metadata up to the first blank line and a comment line would end
# it early, so the notes live in an HTML comment after that blank line; the content
# gate's reader removes HTML comments from bodies, so it never reaches the site.
NOTES_INTRODUCTION = """\
Mode d'emploi de l'en-tête (ce bloc n'est pas affiché sur le site ; vous pouvez le supprimer).
Chaque champ s'écrit « Nom: valeur » sur une seule ligne, sans ligne vide entre les champs.
"""
BODY = "Écrivez ici le texte de l'article : un paragraphe par idée, séparés par une ligne vide."


class ArticleExists(Exception):
    pass


def article_slug(title):
    """The slug Pelican itself would make from the title."""
    return slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def new_fields(event):
    """The schema's fields that a new article holds, in the schema's order."""
    return [f for f in schema.FIELDS if f.in_new and (f.group == "article" or event)]


def field_notes(fields):
    width = max(len(f.name) for f in fields) + 2
    lines = [f"{f.name.ljust(width)}: {f.help.replace('`', '')}." for f in fields]
    return "<!--\n" + NOTES_INTRODUCTION + "\n" + "\n".join(lines) + "\n-->\n"


def article_text(title, institution, slug, when, author="", event=False):
    """The Markdown source of a new draft: every field, the notes, a body to replace."""
    values = {
        "Title": title,
        "Date": f"{when:%Y-%m-%d %H:%M}",
        "Author": author,
        "Institutions": institution,
        "Category": DEFAULTS["DEFAULT_CATEGORY"],
        "Slug": slug,
        "Lang": DEFAULTS["DEFAULT_LANG"],
        "Status": "draft",
    }
    fields = new_fields(event)
    header = "\n".join(f"{f.name}: {values.get(f.name, '')}".rstrip() for f in fields)
    return f"{header}\n\n{field_notes(fields)}\n{BODY}\n"


def new_article(title, institution, author="", event=False, content=CONTENT, now=None, settings=None):
    """Write the new article and return its path; never overwrite an existing file."""
    settings = dict(settings or DEFAULTS, PATH=str(content))
    title = " ".join(title.split())
    if not title:
        raise ValueError('titre vide — indiquez le titre entre guillemets : invoke new "Titre de l\'article"')
    registry = Registry.load(registry_path(settings))
    found = registry.find(institution)
    if found is None:
        known = ", ".join(i.acronym for i in registry)
        raise RegistryError(
            f"institution inconnue « {institution} » — choisissez parmi : {known}, "
            f"ou ajoutez-la à {registry_shown(settings)}"
        )
    when = now or datetime.datetime.now(zoneinfo.ZoneInfo(setting(settings, "TIMEZONE")))
    slug = article_slug(title)
    path = pathlib.Path(content) / "articles" / f"{when:%Y}" / f"{slug}.md"
    if path.exists():
        shown = path.relative_to(pathlib.Path(content).parent)
        raise ArticleExists(f"{shown}: le fichier existe déjà — choisissez un autre titre ou modifiez ce fichier")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as target:
        target.write(article_text(title, found.acronym, slug, when, author.strip(), event))
    return path
