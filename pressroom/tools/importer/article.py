"""One imported article: its metadata (with confidence), its paragraphs, its report,
and where it is written."""

import contextlib
import dataclasses
import datetime
import gc
import pathlib

from pelican.utils import slugify

from pressroom.content import frdates, schema
from pressroom.content.header import markdown_header
from pressroom.content.kinds import read_date
from pressroom.content.registry import normalize
from pressroom.tools.importer import detect, escaping
from pressroom.tools.importer.cleaning import clean_lines, normalize_line
from pressroom.tools.importer.sources import read_source

# What an imported article holds: the schema's fields that `invoke new` writes, and its source.
FIELDS = tuple(f.name for f in schema.FIELDS if f.in_new or f.key == "source")
WRITTEN_BY_US = ("Slug", "Lang", "Status")  # not found in the page: never in the report
LABELS = {f.name: f.label[0].lower() + f.label[1:] for f in schema.FIELDS}
# Fields the officer always writes: never guessed, listed once in the report.
EDITORIAL_FIELDS = ("Tags", "Category", "Summary")
EDITORIAL_NOTE = "thèmes (Tags), catégorie (Category) et résumé (Summary) à écrire"
SLUG_MAX_LENGTH = 80
# The facts the importer looks for in the page: the schema's required ones but the editorial ones.
REQUIRED = tuple(f.name for f in schema.FIELDS if f.required_for("published") and f.name not in EDITORIAL_FIELDS)
MISSING = {
    "Title": "titre absent",
    "Date": "date de publication absente",
    "Author": "auteur absent",
    "Institutions": "aucune institution du registre trouvée",
    "Event-Start": "date de début de l'événement absente",
    "Event-End": "date de fin de l'événement absente",
    "Event-Location": "lieu de l'événement absent",
}


class EmptySource(Exception):
    """A raw article in which no paragraph of text was found."""


@dataclasses.dataclass
class ImportedArticle:
    source: pathlib.Path
    findings: dict  # field -> detect.Finding
    paragraphs: list
    notes: list  # French lines of the report: what to check
    candidates: list  # unknown acronyms
    free_slug: str = ""  # set when the natural name is taken by another article

    def value(self, field):
        finding = self.findings.get(field)
        if finding is None or isinstance(finding.value, detect.PartialDate):
            return ""
        if isinstance(finding.value, datetime.date):
            return finding.value.isoformat()
        if isinstance(finding.value, (list, tuple)):
            return ", ".join(finding.value)
        return str(finding.value)

    def known_title(self):
        """The title the source gave, not the provisional one made from the first sentence."""
        finding = self.findings.get("Title")
        return "" if finding is None or finding.evidence == detect.FIRST_SENTENCE else finding.value

    @property
    def natural_slug(self):
        name = self.known_title() or self.value("Event") or self.value("Title") or self.source.stem
        slug = slugify(name, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")])
        return slug if len(slug) <= SLUG_MAX_LENGTH else slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]

    @property
    def slug(self):
        return self.free_slug or self.natural_slug

    @property
    def year(self):
        """The folder year: publication date, else its partial form, else the event's year."""
        for field in ("Date", "Event-Start"):
            finding = self.findings.get(field)
            if finding is not None:
                return str(finding.value.year)
        return "sans-date"

    def relative_path(self, slug=None):
        return pathlib.Path("articles") / self.year / f"{slug or self.slug}.md"

    def markdown(self):
        """The article file: every value and paragraph escaped, written as a draft."""
        values = {field: escaping.header_value(self.value(field)) for field in FIELDS}
        values["Slug"], values["Lang"], values["Status"] = self.slug, "fr", "draft"
        header = "\n".join(f"{field}: {values[field]}".rstrip() for field in FIELDS)
        return header + "\n\n" + "\n\n".join(escaping.paragraph(p) for p in self.paragraphs) + "\n"

    def facts_to_check(self):
        """The report lines about facts (missing or doubtful), without the editorial reminder."""
        return [note for note in self.notes if note != EDITORIAL_NOTE]

    def report(self):
        lines = []
        for field in (f for f in FIELDS if f not in WRITTEN_BY_US):
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


def _title(source, paragraphs, breadcrumbs, glued_to_date=False):
    """(title Finding or None, paragraphs without the headline line). A first line that followed
    the site's "date 2022-12" is the first sentence of the article, never its headline."""
    if source.title:
        return detect.Finding(normalize_line(source.title), detect.HIGH, "titre de la page"), paragraphs
    if glued_to_date:
        return None, paragraphs
    title = detect.headline_title(paragraphs, breadcrumbs + source.breadcrumbs)
    return title, paragraphs[1:] if title else paragraphs


def _page_date(source):
    """The date the saved page gives: its meta or <time> (ISO), else its date element's text."""
    if source.date:
        try:
            value = frdates.parse_date(source.date[:16].replace("T", " ")).date()
            return detect.Finding(value, detect.HIGH, "date de la page")
        except ValueError:
            pass
    found = detect.date_in_line(source.date_line)
    return detect.Finding(found[0], detect.HIGH, found[1]) if found else None


def _publication_date(source, paragraphs, month_line, byline_date):
    """The page's own date, a byline date, the site's "date 2022-12" line, a dateline or a
    "Publié le" in the text, a "ce mardi 8 octobre 2024", and last the address."""
    return (
        _page_date(source)
        or byline_date
        or month_line
        or detect.publication_date(paragraphs)
        or detect.date_from_url(source.url)
    )


def _author(source, signature, byline):
    author, service = detect.author(signature or byline)
    if source.author and not author:
        author = detect.Finding(normalize_line(source.author), detect.HIGH, "auteur de la page")
    return author, service


def _source_url(source, notes):
    """The page's address as a Finding when it is http(s); any other kind is dropped and reported."""
    if not source.url:
        return None
    if escaping.web_address(source.url):
        return detect.Finding(source.url.strip(), detect.HIGH, "adresse de la page")
    notes.append(f"adresse de la page refusée (« {source.url[:80]} ») : seules les adresses http(s) sont gardées")
    return None


def _find_metadata(source, notes):
    """(findings, paragraphs of the article) for the title, the date and the author."""
    paragraphs, signature, byline, breadcrumbs = clean_lines(source.lines)
    month_line = None
    if paragraphs:
        month_line, paragraphs[0] = detect.date_from_month_line(paragraphs[0])
    title, paragraphs = _title(source, [p for p in paragraphs if p], breadcrumbs, month_line is not None)
    byline_date, paragraphs = detect.publication_line(paragraphs)
    while len(paragraphs) > 1 and len(paragraphs[0].split()) == 1:  # a rubric label: "Société"
        paragraphs = paragraphs[1:]
    author, service = _author(source, signature, byline)
    found = {
        "Title": title or detect.title_from_first_sentence(paragraphs),
        "Date": _publication_date(source, paragraphs, month_line, byline_date),
        "Author": author,
        "Author-Service": service,
        "Source": _source_url(source, notes),
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


def _notes(findings, day_hint=None):
    """What the officer must check: missing fields first, then the values read with doubt."""
    notes = []
    date = findings.get("Date")
    if date is not None and isinstance(date.value, detect.PartialDate):
        notes.append(f"date de publication incomplète : {date.value}, jour absent (« {date.evidence} »)")
    title = findings.get("Title")
    if title is not None and title.evidence == detect.FIRST_SENTENCE:
        notes.append(f"titre absent : titre provisoire « {title.value} », tiré de la première phrase — à réécrire")
    wanted = REQUIRED + (("Event-Start", "Event-End", "Event-Location") if "Event" in findings else ())
    notes += [MISSING[field] for field in wanted if field not in findings]
    if day_hint is not None and "Date" not in findings:
        notes.append(f"le texte cite « {day_hint.evidence} » : si c'est le jour de publication, écrivez-le dans Date")
    for field, finding in findings.items():
        doubtful = finding.confidence != detect.HIGH and not isinstance(finding.value, detect.PartialDate)
        provisional = finding.evidence == detect.FIRST_SENTENCE
        if doubtful and not provisional and field in LABELS and field != "Event":  # the event has its own note
            notes.append(f"{LABELS[field]} à confirmer : {finding.value} (lu dans « {finding.evidence} »)")
    notes.append(EDITORIAL_NOTE)
    return notes


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector paused while a page is parsed: a parse tree is a few hundred
    thousand linked objects, and collections triggered while it grows would rescan it again and
    again (a 10 MB page took 30 % longer). The collector is restored as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(path, registry):
    """Read one raw article and find its metadata; nothing is written."""
    with _collector_paused():
        source, source_notes = read_source(path), []
    findings, paragraphs = _find_metadata(source, source_notes)
    if not paragraphs:
        raise EmptySource("aucun texte d'article trouvé — vérifiez qu'il s'agit de la page ou du texte de l'article")
    title, date = findings.get("Title"), findings.get("Date")
    subject, event_notes = _find_subject(
        title.value if title else "", paragraphs, registry, date.value.year if date else None
    )
    findings.update(subject)
    candidates = detect.unknown_acronyms("\n".join(paragraphs), registry)
    notes = _notes(findings, detect.day_named_in_text(paragraphs)) + event_notes + source_notes
    return ImportedArticle(pathlib.Path(path), findings, paragraphs, notes, candidates)


# --- Writing, once ------------------------------------------------------


def _day(text):
    """The ISO day of a Date field written in ISO or in French, or "" when it cannot be read."""
    try:
        return read_date(text).date().isoformat() if text else ""
    except ValueError:
        return ""


def _first_paragraph(path):
    blocks = pathlib.Path(path).read_text(encoding="utf-8").split("\n\n")
    return normalize(escaping.plain(blocks[1])) if len(blocks) > 1 else ""


def _agree(ours, theirs):
    """Two values of a field agree when they are equal, or when one of them is unknown."""
    return not ours or not theirs or ours == theirs


class ExistingArticles:
    """The articles already in content/articles: by source address, and by first paragraph
    with their title and date. Also the paths already taken."""

    def __init__(self, content_dir):
        self.by_source, self.by_opening, self.taken = {}, {}, set()
        for path in sorted((pathlib.Path(content_dir) / "articles").rglob("*.md")):
            header = markdown_header(path)
            title = escaping.plain(str(header.get("title", "")))
            source = str(header.get("source", ""))
            self.add(path, source, title, _day(str(header.get("date", ""))), _first_paragraph(path))

    def add(self, path, source, title, date, opening):
        self.taken.add(pathlib.Path(path))
        if source:
            self.by_source.setdefault(source.strip(), path)
        if opening:
            self.by_opening.setdefault(opening, []).append((path, normalize(title), date))

    def add_article(self, path, article):
        opening = normalize(article.paragraphs[0]) if article.paragraphs else ""
        self.add(path, article.value("Source"), article.known_title(), _day(article.value("Date")), opening)

    def duplicate_of(self, article):
        """The path of the same article already imported (same source address; or same first
        paragraph, with the same title and date where both are known), or None."""
        source = article.value("Source")
        if source and source in self.by_source:
            return self.by_source[source]
        opening = normalize(article.paragraphs[0]) if article.paragraphs else ""
        title, date = normalize(article.known_title()), _day(article.value("Date"))
        for path, their_title, their_date in self.by_opening.get(opening, ()):
            if _agree(title, their_title) and _agree(date, their_date):
                return path
        return None

    def free_path(self, content_dir, article):
        """(relative path, slug): the natural name, or the first free "-2", "-3"… name."""
        slug, number = article.natural_slug, 2
        while (
            content_dir / article.relative_path(slug) in self.taken
            or (content_dir / article.relative_path(slug)).exists()
        ):
            slug, number = f"{article.natural_slug}-{number}", number + 1
        return article.relative_path(slug), slug
