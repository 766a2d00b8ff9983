"""One imported article: its metadata (with confidence), its paragraphs, its report,
and where it is written."""

import dataclasses
import datetime
import glob
import os
import pathlib
import sys

from pelican.utils import slugify

from .. import frdates
from ..header import markdown_header
from ..registry import Registry, normalize
from ..schema import read_date
from ..settings import DEFAULTS
from . import detect
from .cleaning import clean_lines, normalize_line
from .sources import read_source

FIELDS = (
    "Title",
    "Date",
    "Author",
    "Author-Service",
    "Institutions",
    "Tags",
    "Category",
    "Summary",
    "Event",
    "Event-Start",
    "Event-End",
    "Event-Location",
    "Source",
    "Slug",
    "Lang",
)
LABELS = {
    "Title": "titre",
    "Date": "date de publication",
    "Author": "auteur",
    "Author-Service": "service de l'auteur",
    "Institutions": "institutions",
    "Event": "événement",
    "Event-Start": "début de l'événement",
    "Event-End": "fin de l'événement",
    "Event-Location": "lieu de l'événement",
}
# Fields the officer always writes: never guessed, listed once in the report.
EDITORIAL_FIELDS = ("Tags", "Category", "Summary")
SLUG_MAX_LENGTH = 80
SOURCE_SUFFIXES = (".txt", ".html", ".htm")
READ_ERRORS = {FileNotFoundError: "introuvable", PermissionError: "accès refusé"}
REQUIRED = ("Title", "Date", "Author", "Institutions")
MISSING = {
    "Title": "titre absent",
    "Date": "date de publication absente",
    "Author": "auteur absent",
    "Institutions": "aucune institution du registre trouvée",
    "Event-Start": "date de début de l'événement absente",
    "Event-End": "date de fin de l'événement absente",
    "Event-Location": "lieu de l'événement absent",
}


@dataclasses.dataclass
class ImportedArticle:
    source: pathlib.Path
    findings: dict  # field -> detect.Finding
    paragraphs: list
    notes: list  # French lines of the report: what to check
    candidates: list  # unknown acronyms

    def value(self, field):
        finding = self.findings.get(field)
        if finding is None or isinstance(finding.value, detect.PartialDate):
            return ""
        if isinstance(finding.value, datetime.date):
            return finding.value.isoformat()
        if isinstance(finding.value, (list, tuple)):
            return ", ".join(finding.value)
        return str(finding.value)

    @property
    def slug(self):
        name = self.value("Title") or self.value("Event") or self.source.stem
        slug = slugify(name, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])
        return slug if len(slug) <= SLUG_MAX_LENGTH else slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]

    @property
    def year(self):
        """The folder year: publication date, else its partial form, else the event's year."""
        for field in ("Date", "Event-Start"):
            finding = self.findings.get(field)
            if finding is not None:
                return str(finding.value.year)
        return "sans-date"

    def relative_path(self):
        return pathlib.Path("articles") / self.year / f"{self.slug}.md"

    def markdown(self):
        values = {field: self.value(field) for field in FIELDS}
        values["Slug"], values["Lang"] = self.slug, "fr"
        header = "\n".join(f"{field}: {values[field]}".rstrip() for field in FIELDS)
        return header + "\n\n" + "\n\n".join(self.paragraphs) + "\n"

    def report(self):
        lines = []
        for field in FIELDS[:-2]:
            finding = self.findings.get(field)
            if finding is not None and field not in EDITORIAL_FIELDS:
                shown = self.value(field) or str(finding.value)
                lines.append(f"  {field} : {shown} (confiance {finding.confidence})")
        lines += [f"  À vérifier : {note}" for note in self.notes]
        if self.candidates:
            lines.append(
                "  Sigles inconnus, à ajouter au registre s'il s'agit d'institutions : " + ", ".join(self.candidates)
            )
        return "\n".join(lines)


def _title(source, paragraphs, breadcrumbs):
    """(title Finding or None, paragraphs without the headline line)."""
    if source.title:
        return detect.Finding(normalize_line(source.title), detect.HIGH, "titre de la page"), paragraphs
    title = detect.headline_title(paragraphs, breadcrumbs + source.breadcrumbs)
    return title, paragraphs[1:] if title else paragraphs


def _publication_date(source, paragraphs, month_line):
    if source.date:
        try:
            value = frdates.parse_date(source.date[:16].replace("T", " ")).date()
            return detect.Finding(value, detect.HIGH, "date de la page")
        except ValueError:
            pass
    return month_line or detect.publication_date(paragraphs) or detect.date_from_url(source.url)


def _author(source, signature, byline):
    author, service = detect.author(signature or byline)
    if source.author and not author:
        author = detect.Finding(normalize_line(source.author), detect.HIGH, "auteur de la page")
    return author, service


def _find_metadata(source):
    """(findings, paragraphs of the article) for the title, the date and the author."""
    paragraphs, signature, byline, breadcrumbs = clean_lines(source.lines)
    month_line = None
    if paragraphs:
        month_line, paragraphs[0] = detect.date_from_month_line(paragraphs[0])
    title, paragraphs = _title(source, [p for p in paragraphs if p], breadcrumbs)
    author, service = _author(source, signature, byline)
    found = {
        "Title": title,
        "Date": _publication_date(source, paragraphs, month_line),
        "Author": author,
        "Author-Service": service,
        "Source": detect.Finding(source.url, detect.HIGH, "adresse de la page") if source.url else None,
    }
    return {field: finding for field, finding in found.items() if finding}, paragraphs


def _find_subject(title, paragraphs, registry, year):
    """(findings, notes) for the institutions and the event; ``year`` completes a period
    written without one ("les 23 et 24 septembre")."""
    body, notes = "\n".join(paragraphs), []
    acronyms = detect.institutions("\n".join([title, body]), registry)
    kind, name = detect.event_name(body)
    if name:
        notes.append(f"événement de type « {kind.value} » : vérifiez son nom « {name.value} »")
    start, end, problem = detect.event_dates(body, year)
    if problem:
        notes.append(problem)
    found = {
        "Institutions": detect.Finding(acronyms, detect.HIGH, "sigles et noms du registre") if acronyms else None,
        "Event": name,
        "Event-Start": start,
        "Event-End": end,
        "Event-Location": detect.event_place(body),
    }
    return {field: finding for field, finding in found.items() if finding}, notes


def _notes(findings):
    """What the officer must check: missing fields first, then the values read with doubt."""
    notes = []
    date = findings.get("Date")
    if date is not None and isinstance(date.value, detect.PartialDate):
        notes.append(f"date de publication incomplète : {date.value}, jour absent (« {date.evidence} »)")
    wanted = REQUIRED + (("Event-Start", "Event-End", "Event-Location") if "Event" in findings else ())
    notes += [MISSING[field] for field in wanted if field not in findings]
    for field, finding in findings.items():
        doubtful = finding.confidence != detect.HIGH and not isinstance(finding.value, detect.PartialDate)
        if doubtful and field in LABELS and field != "Event":  # the event has its own note
            notes.append(f"{LABELS[field]} à confirmer : {finding.value} (lu dans « {finding.evidence} »)")
    notes.append("thèmes (Tags), catégorie (Category) et résumé (Summary) à écrire")
    return notes


def import_file(path, registry):
    """Read one raw article and find its metadata; nothing is written."""
    source = read_source(path)
    findings, paragraphs = _find_metadata(source)
    title, date = findings.get("Title"), findings.get("Date")
    subject, event_notes = _find_subject(
        title.value if title else "", paragraphs, registry, date.value.year if date else None
    )
    findings.update(subject)
    candidates = detect.unknown_acronyms("\n".join(paragraphs), registry)
    return ImportedArticle(pathlib.Path(path), findings, paragraphs, _notes(findings) + event_notes, candidates)


# --- Writing, once ------------------------------------------------------


def _day(text):
    """The ISO day of a Date field written in ISO or in French, or "" when it cannot be read."""
    try:
        return read_date(text).date().isoformat() if text else ""
    except ValueError:
        return ""


def _first_paragraph(path):
    blocks = pathlib.Path(path).read_text(encoding="utf-8").split("\n\n")
    return normalize(blocks[1]) if len(blocks) > 1 else ""


class ExistingArticles:
    """The articles already in content/articles, by title and date and by first paragraph."""

    def __init__(self, content_dir):
        self.keys, self.openings = {}, {}
        for path in sorted((pathlib.Path(content_dir) / "articles").rglob("*.md")):
            header = markdown_header(path)
            self.add(path, header.get("title", ""), _day(header.get("date", "")), _first_paragraph(path))

    def add(self, path, title, date, opening):
        if title and date:
            self.keys.setdefault((normalize(title), date), path)
        if opening:
            self.openings.setdefault(opening, path)

    def duplicate_of(self, article):
        """The path of the article already imported, or None."""
        key = (normalize(article.value("Title")), _day(article.value("Date")))
        opening = normalize(article.paragraphs[0]) if article.paragraphs else ""
        return (self.keys.get(key) if all(key) else None) or self.openings.get(opening)


def import_paths(paths, content_dir, registry=None, dry_run=False, out=None):
    """Import each raw article into content_dir/articles/YYYY/ (or only show it with dry_run).
    Prints the report in French; returns 0, or 2 when a file could not be read."""
    out, content_dir = out or sys.stdout, pathlib.Path(content_dir)
    registry = registry or Registry.load(content_dir / DEFAULTS["INSTITUTIONS_REGISTRY"])
    existing, status = ExistingArticles(content_dir), 0
    for path in paths:
        try:
            article = import_file(path, registry)
        except OSError as error:
            print(f"{path}: fichier: {READ_ERRORS.get(type(error), 'illisible')} — vérifiez le chemin", file=out)
            status = 2
            continue
        target = content_dir / article.relative_path()
        duplicate = existing.duplicate_of(article) or (target if target.exists() else None)
        if duplicate:
            print(f"{path} : déjà importé ({os.path.relpath(duplicate, content_dir.parent)}), non écrit", file=out)
            continue
        shown = os.path.relpath(target, content_dir.parent)
        if dry_run:
            print(f"{path} → {shown} (essai : rien n'est écrit)\n{article.report()}\n", file=out)
            print(article.markdown(), file=out)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(article.markdown(), encoding="utf-8")
        existing.add(
            target,
            article.value("Title"),
            _day(article.value("Date")),
            normalize(article.paragraphs[0]) if article.paragraphs else "",
        )
        print(f"{path} → {shown}\n{article.report()}\n", file=out)
    return status


def expand_paths(arguments):
    """Files named on the command line: a file, every .txt/.html of a folder, or a pattern."""
    paths = []
    for argument in arguments:
        path = pathlib.Path(argument)
        if path.is_dir():
            paths += sorted(p for p in path.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        elif glob.has_magic(argument):
            paths += sorted(pathlib.Path(p) for p in glob.glob(argument)) or [path]
        else:
            paths.append(path)
    return paths
