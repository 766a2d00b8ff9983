"""The content check, shared by `invoke lint` and the build (content_gate plugin):
a tree that passes lint builds.

Every check returns Problems instead of raising, so that one run reports every
problem of every file at once. The rules of each field are the schema's
(``pressroom.content.schema``); here are the checks across files (a tag spelt two ways,
two articles at one address) and the walk over the content folder.

A draft's problems are warnings, for `invoke lint` as for the build of the site,
which leaves the draft out: they block no publication, and its author sees them.
"""

import dataclasses
import datetime
import multiprocessing
import os
import sys
import zoneinfo
from collections import defaultdict

from pelican.contents import Article, Author, Category, Page, Tag
from pelican.readers import MarkdownReader, Readers

from pressroom.build import cache, discovery, pipeline, report
from pressroom.build.processes import die_with_parent, worker_pool
from pressroom.build.readers import add_reader_mixin
from pressroom.build.site import load_settings
from pressroom.content import addresses, body, kinds, schema, statics
from pressroom.content.header import UnreadableFile, parse_header, read_text
from pressroom.content.problems import Problem, problem_at
from pressroom.content.registry import Registry, RegistryError, normalize
from pressroom.settings import SettingsError, registry_path, setting

# --- Reading -------------------------------------------------------------------


class FrenchMetadata:
    """Reader mixin: every field of the schema is read by its kind (``schema.parsed``), in place of
    Pelican's own metadata processors: French dates, a plain-text Summary, authors and tags separated
    by commas. What Pelican's generators and templates need stays Pelican's: an ``Author`` per author
    (under ``authors``), a ``Tag`` per tag, the ``Category``. (HTML comments, the notes that `invoke
    new` writes, are removed with the rest by pressroom.content.body.sanitize.)"""

    def process_metadata(self, name, value):
        if name not in schema.BY_KEY:
            return super().process_metadata(name, value)
        return pelican_value(name, schema.parsed(name, value), self.settings)

    def read(self, source_path):
        content, metadata = super().read(source_path)
        for name in [name for name, value in metadata.items() if name in schema.BY_KEY and value in EMPTY]:
            del metadata[name]  # an empty line is no value, as Pelican discards an empty author or tag
        if "author" in metadata:  # Pelican takes the first of ``authors`` as ``author``
            authors = metadata.pop("author")
            metadata["authors"] = authors if isinstance(authors, list) else [authors]
        return content, metadata


EMPTY = ("", [], None)
PELICAN_OBJECTS = {"author": Author, "tags": Tag, "category": Category}


def pelican_value(name, value, settings):
    """The value of the field ``name`` as Pelican needs it: its own objects for authors, tags and
    the category, made from the schema's names."""
    made = PELICAN_OBJECTS.get(name)
    if made is None:
        return value
    if name == "author" and len(value) == 1:
        return made(value[0], settings)  # one author, as DEFAULT_METADATA may give it, never under authors
    if isinstance(value, list):
        return [made(item, settings) for item in value]
    return made(value, settings) if value else value


def use_french_metadata(readers):
    """Make every enabled reader read French dates and plain-text summaries."""
    add_reader_mixin(readers, FrenchMetadata)


def source_files(settings, kind, extensions=None):
    """Files of the articles (or pages, for ``schema.PAGE``) as Pelican finds them (``discovery``): those
    with one of ``extensions``, or every one when it is None."""
    return discovery.sources(settings, kind.name.upper(), False if extensions is None else extensions)


def article_files(settings, extensions):
    """Source files of the articles, as Pelican finds them."""
    return source_files(settings, schema.ARTICLE, extensions)


def foreign_files(settings):
    """Files among the articles and pages that are no Markdown text, each refused by name: Markdown is
    the only reader, and a file for another one (reStructuredText's include, raw HTML) is no content."""
    markdown = set(MarkdownReader.file_extensions)
    return [
        Problem(
            _shown(path, settings["PATH"]),
            "fichier",
            f"fichier refusé : seuls les textes Markdown (.md) sont lus dans le dossier des {kind.name}s",
            "écrivez le texte en Markdown dans un fichier .md ; photos et pièces jointes vont dans "
            "content/images et content/fichiers",
        )
        for kind in (schema.ARTICLE, schema.PAGE)
        for path in source_files(settings, kind)
        if path.rpartition(".")[2] not in markdown
    ]


def source_header(path):
    """The text of a Markdown source file, and its header with the line of each field."""
    text = read_text(path)
    return text, parse_header(text)


# --- Checks of the whole content folder ------------------------------------------


@dataclasses.dataclass
class Report:
    """What the check of a content folder found."""

    problems: list = dataclasses.field(default_factory=list)  # of published (or embargoed) articles
    draft_problems: list = dataclasses.field(default_factory=list)
    headers: dict = dataclasses.field(default_factory=dict)  # path -> Header, of every readable file

    @property
    def broken_drafts(self):
        return {problem.path for problem in self.draft_problems}


def today(settings):
    return datetime.datetime.now(zoneinfo.ZoneInfo(setting(settings, "TIMEZONE"))).date()


def check_links(root):
    """A symbolic link anywhere under the content folder (file or folder): Pelican would follow it
    and publish what it points to, wherever that is. One problem per link, none followed."""
    problems = []
    for folder, subfolders, names in os.walk(root):
        for name in sorted(subfolders + names):
            path = os.path.join(folder, name)
            if os.path.islink(path):
                problems.append(
                    Problem(
                        _shown(path, root),
                        "fichier",
                        f"lien symbolique refusé (vers « {os.readlink(path)} ») : il publierait un fichier pris "
                        "hors du dossier content/",
                        "remplacez le lien par une copie du fichier lui-même, ou supprimez-le",
                    )
                )
    return problems


def check_sources(settings, readers, registry=None, bodies=None):
    """Problems of every article and page source file, read as written (no Pelican object needed);
    ``bodies`` (a cache.CheckedBodies) spares the bodies already checked, and learns the new ones."""
    registry = registry or Registry.load(registry_path(settings))
    report, day = Report(), today(settings)
    bodies = bodies or cache.CheckedBodies()
    report.problems += check_links(settings["PATH"])
    paths = article_files(settings, MarkdownReader.file_extensions)
    for path, header, problems in checked_articles(settings, readers, paths, registry, day, bodies):
        if header is not None:
            report.headers[path] = header
        if header is not None and schema.status_of(header) == "draft":
            report.draft_problems += problems
        else:
            report.problems += problems
    for path in source_files(settings, schema.PAGE, MarkdownReader.file_extensions):
        # A page's problems always count: Pelican reads a draft page too (it only does not write it).
        report.problems += check_file(settings, readers, path, registry, day, schema.PAGE, bodies)[1]
    report.problems += foreign_files(settings)
    report.problems += check_tag_spellings(report, settings["PATH"])
    report.problems += check_numbers(report, settings["PATH"], registry)
    report.problems += check_preview_tokens(report, settings["PATH"])
    return report


def checked_articles(settings, readers, paths, registry, day, bodies):
    """(path, header, problems) of each article file, in order: checked by one worker process per
    core when there are many (PARALLEL_READ_PROCESSES, PARALLEL_READ_MIN_FILES); the bodies that
    passed in a worker are learnt by ``bodies`` here."""
    processes = setting(settings, "PARALLEL_READ_PROCESSES")
    if "fork" not in multiprocessing.get_all_start_methods() or len(paths) < setting(
        settings, "PARALLEL_READ_MIN_FILES"
    ):
        processes = 1
    if processes == 1:
        for path in paths:
            yield path, *check_file(settings, readers, path, registry, day, bodies=bodies)
        return
    arguments = (settings, readers, registry, day, bodies, os.getpid())  # inherited; paths and results are pickled
    with worker_pool(processes, _Checker.start, arguments) as pool:
        for path, header, problems, passed in pool.imap(_Checker.check, paths, chunksize=32):
            bodies.digests.update(passed)
            yield path, header, problems


class _Checker:
    """What a worker process checks article files with, inherited at the fork."""

    arguments = None

    @classmethod
    def start(cls, settings, readers, registry, day, bodies, parent):
        die_with_parent(parent)  # it dies with the build or with `invoke lint`
        cls.arguments = settings, readers, registry, day, bodies

    @classmethod
    def check(cls, path):
        settings, readers, registry, day, bodies = cls.arguments
        bodies.learnt = []
        header, problems = check_file(settings, readers, path, registry, day, bodies=bodies)
        return path, header, problems, bodies.learnt


def check_file(settings, readers, path, registry, day, kind=schema.ARTICLE, bodies=None):
    """The header of one source file (None if it cannot be read) and its own problems."""
    check = schema.Check(path, _shown(path, settings["PATH"]), registry, settings, day)
    try:
        text, header = source_header(path)
    except UnreadableFile as error:
        return None, [check.problem(error.line, "fichier", str(error), "enregistrez-le en UTF-8")]
    except Exception as error:  # a file the reader cannot parse at all
        return None, [check.problem(1, "fichier", f"illisible ({error})", "vérifiez l'encodage (UTF-8) et l'en-tête")]
    problems = schema.check_characters(text, check) + schema.check_header(header, check, kind)
    return header, problems + check_text(text, header, check, bodies or cache.CheckedBodies())


def check_text(text, header, check, bodies):
    """The problems of the body of a file (body.check_body), unless ``bodies`` saw it pass already."""
    if header.empty_file or bodies.passed(text):
        return []
    problems = body.check_body(text, header, check)
    if not problems:
        bodies.add(text)
    return problems


def check_tag_spellings(report, root):
    """Tags that differ only by case or accents ('Sénégal'/'senegal'): one problem per odd spelling."""
    spellings = defaultdict(dict)  # normalized tag -> {spelling: first file using it}
    broken = report.broken_drafts
    for path, header in report.headers.items():
        if _shown(path, root) in broken:
            continue
        tags = header.first("tags")
        for tag in kinds.split_list(tags.value if tags else ""):
            spellings[normalize(tag)].setdefault(tag, path)
    problems = []
    for variants in spellings.values():
        (first, first_path), *others = variants.items()
        for spelling, path in others:
            problems.append(tag_spelling_problem(path, spelling, first, first_path, root))
    return problems


def repeated(report, key_of):
    """(path, first path, key) for each file whose key (``key_of(header)``, None for none) an earlier
    file, in path order, already has."""
    first_by_key = {}
    for path, header in sorted(report.headers.items()):
        key = key_of(header)
        if key is None:
            continue
        first = first_by_key.setdefault(key, path)
        if first != path:
            yield path, first, key


def check_numbers(report, root, registry):
    """A release Number (« 12/2025 ») given twice for one first institution: one problem per later file."""

    def number_key(header):
        number, institutions = header.first("number"), header.first("institutions")
        if not number or not institutions or not kinds.NUMBER_PATTERN.match(number.value.strip()):
            return None
        names = kinds.split_list(institutions.value)
        institution = registry.find(names[0]) if names else None
        return (institution.acronym, number.value.strip()) if institution else None

    return [
        problem_at(
            path,
            "Number",
            f"numéro {key[1]} de {key[0]} déjà donné dans {_shown(first, root)}",
            "donnez le numéro suivant, libre pour cette institution et cette année",
            root,
        )
        for path, first, key in repeated(report, number_key)
    ]


def check_preview_tokens(report, root):
    """A Preview-Token written in two files: the second would open the first one's secret address."""

    def token_key(header):
        entry = header.first("preview-token")
        return entry.value.strip() or None if entry else None

    return [
        problem_at(
            path,
            "Preview-Token",
            f"jeton déjà utilisé par {_shown(first, root)}",
            "retirez la ligne puis lancez invoke lien-embargo --revoke sur ce fichier",
            root,
        )
        for path, first, _ in repeated(report, token_key)
    ]


def tag_spelling_problem(path, spelling, first, first_path, root):
    """``path`` writes a tag ``spelling`` that ``first_path`` wrote ``first``."""
    return problem_at(
        path,
        "Tags",
        f"thème « {spelling} » écrit « {first} » dans {_shown(first_path, root)}",
        "choisissez une seule orthographe pour ce thème dans tous les articles",
        root,
    )


def collision_problem(content, first, root):
    """``content`` would be written where ``first`` is."""
    claim, earlier = addresses.content_claims([content, first], root)
    return addresses.clash_problem(claim, earlier, root)


def _shown(path, root):
    return os.path.relpath(path, root) if root else path


def readable_articles(settings, readers, report):
    """The articles that Pelican can read, among the files that passed their own checks."""
    root = settings["PATH"]
    broken = {problem.path for problem in report.problems if problem.field != "Tags"} | report.broken_drafts
    return [
        readers.read_file(root, path, content_class=Article, context={})
        for path in report.headers
        if _shown(path, root) not in broken
    ]


def readable_pages(settings, readers, report):
    """The pages that Pelican can read, among the files that passed their own checks."""
    root, broken = settings["PATH"], {problem.path for problem in report.problems}
    paths = source_files(settings, schema.PAGE, MarkdownReader.file_extensions)
    return [
        readers.read_file(root, path, content_class=Page, context={})
        for path in paths
        if _shown(path, root) not in broken
    ]


def check_collisions(settings, readers, report):
    """Articles that would share an address, among the files that passed their own checks."""
    articles = sorted(readable_articles(settings, readers, report), key=lambda article: article.source_path)
    return addresses.table_problems(addresses.content_claims(articles, settings["PATH"]), settings["PATH"])


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
        for entry in addresses.canonical_entries(settings)
        if entry.url not in current
        and entry.url not in taken_over
        and not os.path.exists(os.path.join(root, entry.source))
    ]


def static_outputs(settings, contents):
    """{source path: output path} of the files Pelican would copy as they are: those of STATIC_PATHS
    (``discovery``), and those that a ``{static}`` link of ``contents`` names, wherever they are."""
    root = settings["PATH"]
    relatives = [os.path.relpath(path, root) for path in discovery.sources(settings, "STATIC")]
    relatives += [path for content in contents for path in statics.copied_links(content)]
    return {
        os.path.join(root, relative): relative.replace(os.sep, "/")
        for relative in relatives
        if not relative.startswith(os.pardir) and os.path.isfile(os.path.join(root, relative))
    }


def check_addresses(settings, articles, pages):
    """The address table of the build to come (pressroom.content.addresses), checked as the build checks it."""
    published = [a for a in articles if a.status == "published" and pipeline.withdrawal(a) is None]
    return addresses.check_table(settings, articles + pages, published, static_outputs(settings, articles + pages))


def lint(settings):
    """Every problem in the content folder, every symbolic link, two outputs at one address, a published
    article whose file disappeared, and a file named in a body (of an article or a page) that may not be
    published; and, apart, the problems of drafts (which the build leaves out)."""
    readers = Readers(settings)
    use_french_metadata(readers)
    report = check_sources(settings, readers)
    articles = readable_articles(settings, readers, report)
    pages = readable_pages(settings, readers, report)
    problems = (
        report.problems
        + check_addresses(settings, articles, pages)
        + check_published_addresses(settings, articles)
        + [problem for content in articles + pages for problem in statics.body_problems(content, settings)]
    )
    return problems, report.draft_problems


def run(settings_file="pelicanconf.py", out=sys.stderr, **overrides):
    """`invoke lint`: one line per problem; 0 when nothing would stop the build, 2 otherwise. A draft's
    problems are printed as warnings: the build leaves the draft out, so they block no publication."""
    try:
        problems, drafts = lint(load_settings(settings_file, **overrides))
    except (SettingsError, RegistryError) as error:
        return report.failure(error, out, "Vérification impossible")
    if drafts:
        report.problems(drafts, out, "Avertissement, brouillons laissés de côté", "à corriger avant de les publier")
    if not problems:
        print(f"Contenu vérifié : aucun problème{' qui empêche la publication' if drafts else ''}.", file=out)
        return 0
    return report.problems(problems, out, "Contenu refusé")


__all__ = [
    "run",
    "lint",
    "check_sources",
    "check_file",
    "tag_spelling_problem",
    "check_collisions",
    "collision_problem",
    "use_french_metadata",
    "Problem",
]
