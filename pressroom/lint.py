"""Content checks shared by `invoke lint` and the content_gate plugin.

Every check returns Problems instead of raising, so that one run reports
every problem of every file at once.
"""

import fnmatch
import os
import re
import sys
from collections import defaultdict

from markdown.extensions import meta
from markdown.util import ETX, STX
from markupsafe import escape
from pelican.contents import Article
from pelican.readers import MarkdownReader, Readers
from pelican.utils import get_date

from . import addresses, frdates
from .problems import ContentError, Problem, problem_at
from .readers import add_reader_mixin, with_mixin
from .registry import Registry, RegistryError, normalize
from .site import load_settings

REQUIRED_FIELDS = ("title", "date", "institutions", "author")
DATE_FIELDS = ("date", "modified")
STATUSES = ("published", "draft", "hidden")
DATE_HINT = "écrivez la date sous la forme 2024-10-08 ou 8 octobre 2024"


# --- Reading ---------------------------------------------------------------


def read_date(value):
    """A datetime from an ISO or French date ('8 octobre 2024 à 10h30'); ValueError in French."""
    try:
        return frdates.parse_date(value)
    except ValueError as french_error:
        try:
            return get_date(str(value))  # other ISO 8601 forms: 2024-10-08T10:30:00+00:00
        except (ValueError, OverflowError):
            raise french_error from None


class FrenchMetadata:
    """Reader mixin: dates in French or ISO; a Summary is plain text, never HTML."""

    def process_metadata(self, name, value):
        if name in DATE_FIELDS:
            return read_date(value)
        if name == "summary":
            return escape(value)
        return super().process_metadata(name, value)


class RawMetadata:
    """Reader mixin: metadata left as written, so that checks see the text itself."""

    def process_metadata(self, name, value):
        return value


def use_french_metadata(readers):
    """Make every enabled reader read French dates and plain-text summaries."""
    add_reader_mixin(readers, FrenchMetadata)


def article_files(settings, extensions):
    """Source files of the articles, as Pelican finds them (ARTICLE_PATHS, IGNORE_FILES)."""
    root = settings["PATH"]
    ignored = settings.get("IGNORE_FILES", [])
    excluded = [os.path.join(root, p) for p in settings.get("ARTICLE_EXCLUDES", [])]
    files = []
    for article_path in settings["ARTICLE_PATHS"]:
        for folder, subfolders, names in os.walk(os.path.join(root, article_path)):
            subfolders[:] = sorted(
                d
                for d in subfolders
                if os.path.join(folder, d) not in excluded and not any(fnmatch.fnmatch(d, p) for p in ignored)
            )
            for name in sorted(names):
                if name.rpartition(".")[2] in extensions and not any(fnmatch.fnmatch(name, p) for p in ignored):
                    files.append(os.path.join(folder, name))
    return files


def raw_metadata(readers, path):
    """The metadata of a source file, as written (lower-case field names)."""
    reader_class = readers.reader_classes[path.rpartition(".")[2]]
    if issubclass(reader_class, MarkdownReader):
        return markdown_header(path)
    return with_mixin(RawMetadata, reader_class)(readers.settings).read(path)[1]


def markdown_header(path):
    """Metadata of a Markdown file as the 'meta' extension reads it for Pelican, without
    converting the body (which would double the reading time of a build)."""
    with open(path, encoding="utf-8-sig") as source:
        header = re.split(r"\n[ \t]*\n", source.read(), maxsplit=1)[0]
    return {name: lines[0] if len(lines) == 1 else lines for name, lines in _meta_fields(header).items()}


def _meta_fields(header):
    """The 'meta' extension's own parse (same patterns, same steps), without building a whole
    Markdown converter for every file: field name -> list of lines."""
    if not header.strip():
        return {}
    lines = _normalized_lines(header)
    if meta.BEGIN_RE.match(lines[0]):
        lines = lines[1:]
    fields, name = {}, None
    for line in lines:
        if line.strip() == "" or meta.END_RE.match(line):
            break
        field = meta.META_RE.match(line)
        if field:
            name = field.group("key").lower().strip()
            fields.setdefault(name, []).append(field.group("value").strip())
            continue
        more = meta.META_MORE_RE.match(line)
        if not (more and name):
            break
        fields[name].append(more.group("value").strip())
    return fields


def _normalized_lines(text, tab_length=4):
    """The lines the 'meta' extension receives: Python-Markdown's NormalizeWhitespace step."""
    text = text.replace(STX, "").replace(ETX, "")
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
    text = re.sub(r"(?<=\n) +\n", "\n", text.expandtabs(tab_length))
    return text.split("\n")


def split_list(value):
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return [item.strip() for item in str(value or "").split(",") if item.strip()]


# --- Checks of one file ----------------------------------------------------

FIELD_NAMES = {
    "title": "Title",
    "date": "Date",
    "institutions": "Institutions",
    "author": "Author",
    "modified": "Modified",
    "status": "Status",
    "tags": "Tags",
    "slug": "Slug",
}
REQUIRED_HINTS = {
    "title": "ajoutez une ligne « Title: » avec le titre de l'article",
    "date": "ajoutez une ligne « Date: », par exemple Date: 8 octobre 2024",
    "institutions": "ajoutez une ligne « Institutions: » avec les sigles, par exemple Institutions: CMSS, UNTM",
    "author": "ajoutez une ligne « Author: » avec le nom de l'auteur",
}


def check_required(path, metadata, root):
    written = {field for field, value in metadata.items() if str(value or "").strip()}
    if "authors" in written:
        written.add("author")
    return [
        problem_at(path, FIELD_NAMES[field], "champ obligatoire absent ou vide", REQUIRED_HINTS[field], root)
        for field in REQUIRED_FIELDS
        if field not in written
    ]


def check_dates(path, metadata, root):
    problems = []
    for field in DATE_FIELDS:
        value = metadata.get(field)
        if value in (None, "") or not str(value).strip():
            continue
        try:
            read_date(value)
        except ValueError as error:
            problems.append(problem_at(path, FIELD_NAMES[field], str(error), DATE_HINT, root))
    return problems


def check_status(path, metadata, root):
    status = str(metadata.get("status") or "published").strip().lower()
    if status in STATUSES:
        return []
    return [
        problem_at(
            path,
            "Status",
            f"statut inconnu « {metadata['status']} »",
            "écrivez Status: draft pour un brouillon, ou retirez la ligne pour publier",
            root,
        )
    ]


def check_institutions(path, metadata, registry, root):
    return [
        problem_at(
            path,
            "Institutions",
            f"institution inconnue « {name} »",
            "corrigez le sigle ou ajoutez l'institution au registre content/institutions.yml",
            root,
        )
        for name in split_list(metadata.get("institutions"))
        if registry.find(name) is None
    ]


def check_event(path, metadata, root):
    """The events plugin's own check, run on the text as written."""
    # The events plugin owns the rules of its fields; lint runs them as they are.
    from plugins.events.events import read_event

    problems = []
    read_event(_Source(path, metadata), problems, root)
    return problems


class _Source:
    """What the events plugin reads from an article: its path and metadata."""

    def __init__(self, path, metadata):
        self.source_path, self.metadata = path, metadata
        try:
            self.date = read_date(metadata.get("date"))
        except ValueError:
            self.date = None  # reported by check_dates


def check_file(path, metadata, registry, root):
    return (
        check_required(path, metadata, root)
        + check_dates(path, metadata, root)
        + check_status(path, metadata, root)
        + check_institutions(path, metadata, registry, root)
        + check_event(path, metadata, root)
    )


# --- Checks across files ---------------------------------------------------


def check_tag_spellings(metadata_by_path, root):
    """Tags that differ only by case or accents ('Sénégal'/'senegal'): one problem per odd spelling."""
    spellings = defaultdict(dict)  # normalized tag -> {spelling: first file using it}
    for path, metadata in metadata_by_path.items():
        for tag in split_list(metadata.get("tags")):
            spellings[normalize(tag)].setdefault(tag, path)
    problems = []
    for variants in spellings.values():
        (first, first_path), *others = variants.items()
        for spelling, path in others:
            problems.append(
                problem_at(
                    path,
                    "Tags",
                    f"thème « {spelling} » écrit « {first} » dans {_shown(first_path, root)}",
                    "choisissez une seule orthographe pour ce thème dans tous les articles",
                    root,
                )
            )
    return problems


def find_collisions(contents, root):
    """Contents that would be written to the same file: one problem per later file, naming the first."""
    first_by_output = {}
    problems = []
    for content in sorted(contents, key=lambda c: c.source_path):
        save_as = content.save_as  # formatted anew at each access
        output = os.path.normpath(save_as) if save_as else None
        if not output:
            continue
        first = first_by_output.setdefault(output, content)
        if first is not content:
            field = "Slug" if "slug" in content.metadata else "Title"
            problems.append(
                problem_at(
                    content.source_path,
                    field,
                    f"même adresse ({content.url}) que {_shown(first.source_path, root)} : l'un écraserait l'autre",
                    "donnez un Slug différent à l'un des deux articles",
                    root,
                )
            )
    return problems


def _shown(path, root):
    return os.path.relpath(path, root) if root else path


# --- Whole content folder --------------------------------------------------


def check_sources(settings, readers):
    """Problems of every article source file, read as written (no Pelican object needed)."""
    root = settings["PATH"]
    registry = Registry.load(os.path.join(root, settings.get("INSTITUTIONS_REGISTRY", "institutions.yml")))
    problems, metadata_by_path = [], {}
    for path in article_files(settings, readers.extensions):
        try:
            metadata = raw_metadata(readers, path)
        except Exception as error:  # a file the reader cannot parse at all
            problems.append(
                Problem(
                    _shown(path, root), "fichier", f"illisible ({error})", "vérifiez l'encodage (UTF-8) et l'en-tête", 1
                )
            )
            continue
        metadata_by_path[path] = metadata
        problems += check_file(path, metadata, registry, root)
    return problems + check_tag_spellings(metadata_by_path, root)


def readable_articles(settings, readers, problems=()):
    """The articles that Pelican can read (a tag spelled two ways does not keep a file from being read)."""
    root = settings["PATH"]
    broken = {problem.path for problem in problems if problem.field != "Tags"}
    return [
        readers.read_file(root, path, content_class=Article, context={})
        for path in article_files(settings, readers.extensions)
        if _shown(path, root) not in broken
    ]


def check_collisions(settings, readers, problems=()):
    """Articles that would share an address, among the files that Pelican can read."""
    return find_collisions(readable_articles(settings, readers, problems), settings["PATH"])


def check_published_addresses(settings, articles):
    """A published article's file may not disappear unless another article takes its address over
    (Redirect-From): its address, listed in content/adresses-publiees.txt, would become a 404."""
    root, listing = settings["PATH"], addresses.list_path(settings)
    current = {addresses.normalize_url(article.url) for article in articles}
    taken_over = set(addresses.redirect_targets(articles))
    return [
        Problem(
            _shown(listing, root),
            "Adresse",
            f"l'article publié à l'adresse {entry.url} ({entry.source}) a disparu : cette adresse ne mènerait "
            "plus nulle part",
            f"rétablissez le fichier, ou ajoutez la ligne « Redirect-From: {entry.url} » à l'article qui le remplace",
            entry.line,
        )
        for entry in addresses.read_entries(listing)
        if entry.url not in current
        and entry.url not in taken_over
        and not os.path.exists(os.path.join(root, entry.source))
    ]


def lint(settings):
    """Every problem in the content folder, including two articles at the same address and a
    published article whose file disappeared."""
    readers = Readers(settings)
    use_french_metadata(readers)
    problems = check_sources(settings, readers)
    articles = readable_articles(settings, readers, problems)
    return problems + find_collisions(articles, settings["PATH"]) + check_published_addresses(settings, articles)


def run(settings_file="pelicanconf.py", out=sys.stderr, **overrides):
    """`invoke lint`: print one line per problem; 0 when the content is clean, 2 otherwise."""
    try:
        problems = lint(load_settings(settings_file, **overrides))
    except RegistryError as error:
        print(f"Vérification impossible : {error}", file=out)
        return 2
    if not problems:
        print("Contenu vérifié : aucun problème.", file=out)
        return 0
    print(f"{len(problems)} problème(s) dans le contenu :", file=out)
    for problem in ContentError(problems).problems:  # sorted by file and line, duplicates removed
        print(problem, file=out)
    return ContentError.exitcode


__all__ = ["run", "lint", "check_sources", "find_collisions", "use_french_metadata", "read_date"]
