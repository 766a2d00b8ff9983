"""Metadata detection: each field found in the text, with how sure we are.
Nothing is invented: a field the text does not give stays None."""

import dataclasses
import datetime
import re

from pressroom.content import frdates
from pressroom.content.registry import normalize
from pressroom.tools.importer.cleaning import signature_parts
from pressroom.tools.importer.folding import fold

HIGH, MEDIUM, LOW = "haute", "moyenne", "faible"
HEADLINE_MAX_LENGTH = 160

EVENT_KINDS = (
    r"journ[ée]es? portes? ouvertes?",
    r"sessions? de formation",
    r"s[ée]minaires?",
    r"ateliers?",
    r"conf[ée]rences? de presse",
    r"conf[ée]rences?",
    r"forums?",
    r"colloques?",
    r"assembl[ée]es? g[ée]n[ée]rales?",
    r"tables? rondes?",
    r"c[ée]r[ée]monies?",
    r"caravanes?",
    r"campagnes?",
    r"formations?",
    r"rencontres?",
    r"r[ée]unions?",
)
_KIND = re.compile(rf"\b(?P<kind>{'|'.join(EVENT_KINDS)})\b", re.IGNORECASE)
_NAME_STOP = re.compile(
    r"^(?:qui|que|dont|aux|est|a|ont|sont|sera|seront|était|s'est|se|vise|visent|portant|organisée?s?|tenue?s?"
    r"|dans|pour|par|avec|à|au profit|ce|cet|cette|du \d|le \d|les \d|du (?:lundi|mardi|mercredi|jeudi"
    r"|vendredi|samedi|dimanche)|de \w+ (?:\(\d+\) )?jours)\b",
    re.IGNORECASE,
)
_TRAILING_LINKS = {"de", "du", "des", "d'", "la", "le", "les", "l'", "et", "au", "aux", "à", "sur"}
_ORDINAL = re.compile(r"(\d+)\s*(?:ème|eme|è|e)\s*$", re.IGNORECASE)
_NUMBERS = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
}
_DURATION = re.compile(rf"\b(?:en|sur|durant|pendant)\s+(?P<n>\d+|{'|'.join(_NUMBERS)})\s*(?:\(\d+\)\s*)?jours\b")
_STARTED = re.compile(
    rf"\b(?:ce|demarree?s?\s+(?:ce|le)|debutee?s?\s+(?:ce|le)|ouverte?s?\s+(?:ce|le)"
    rf"|lancee?s?\s+(?:ce|le))\s+(?P<date>{frdates.DATE_PATTERN})"
)
_WEEKDAY_DATE = rf"(?:{'|'.join(frdates.WEEKDAYS)}),?\s+\d{{1,2}}(?:er)?\s+(?:{frdates._MONTH})\.?(?:\s+\d{{4}})?"
# One day named with its weekday, not in a "Publié le" line: the day of the event.
_DAY = re.compile(rf"(?<!publie )(?<!publiee )\b(?:le|ce)\s+(?P<date>{_WEEKDAY_DATE})")
_THIS_DAY = re.compile(r"ce\s")
_PUBLISHED = re.compile(rf"\bpublie(?:e)?\s+le\s+(?P<date>{frdates.DATE_PATTERN})")
_DATELINE = re.compile(rf"^[a-z][a-z' -]+,\s*(?:le\s+)?(?P<date>{frdates.DATE_PATTERN})\s*[-–—:]")
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>[01]\d)/(?:(?P<day>[0-3]\d)/)?")
_MONTH_LINE = re.compile(r"^\s*date\s+(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\s*")
_ACRONYM = re.compile(r"(?<![\w/-])(?P<acronym>[A-ZÀ-Ý][A-ZÀ-Ý0-9]+(?:-[A-ZÀ-Ý][\w]*)?)(?![\w-])")
_ROMAN = re.compile(r"^[IVXLC]+$")
ACRONYM_MAX_LETTERS = 6
# Bounded windows around a match, so that each match costs the same whatever the text's length.
WORD_WINDOW = 60
NAME_WINDOW = 400
_PLACE_STOP = r"(?=\s*[,.;:]|\s+du\s+\d|\s+(?:le|les)\s+\d|\s+(?:un|une|des|pour|sur|avec|autour)\b|$)"
_PLACE = r"(?P<place>(?:(?:l['’]|la\s+|le\s+)\w|[A-ZÀ-Ý])[^,.;:\n]{1,80}?)" + _PLACE_STOP
_CAPITALIZED_PLACE = r"(?P<place>[A-ZÀ-Ý][\w'’-]+(?:\s+(?:de|du|d['’])?\s*[A-ZÀ-Ý][\w'’-]+)*)"


@dataclasses.dataclass(frozen=True)
class Finding:
    """A value read from the text, how sure we are, and the words it was read from."""

    value: object
    confidence: str
    evidence: str = ""


@dataclasses.dataclass(frozen=True)
class PartialDate:
    """A publication date given to the month only ("date 2022-12"): not enough to publish."""

    year: int
    month: int

    def __str__(self):
        return frdates.month_year(datetime.date(self.year, self.month, 1))


# --- Title --------------------------------------------------------------


def headline_title(paragraphs, breadcrumbs):
    """The first line when it reads as a headline (short, one sentence), else None."""
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    if len(first) > HEADLINE_MAX_LENGTH or re.search(r"[.!?]\s+\S", first):
        return None
    title = first.rstrip(" .")
    in_breadcrumb = any(normalize(title) in normalize(crumb) for crumb in breadcrumbs)
    return Finding(title, HIGH if in_breadcrumb else MEDIUM, "première ligne du texte")


FIRST_SENTENCE = "première phrase du texte"
PROVISIONAL_TITLE_WORDS = 12
_LEADING_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w'’ -]{1,40},\s*(?:le\s+)?[^—–:]{4,40}?\d{4}\s*[-–—:]\s*")


def title_from_first_sentence(paragraphs):
    """A provisional title (never an empty one): the first sentence of the text, without its
    dateline, cut to a dozen words. Low confidence: the report asks for a real title."""
    if not paragraphs:
        return None
    text = _LEADING_DATELINE.sub("", paragraphs[0])
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(" .")
    words = sentence.split()
    if not words:
        return None
    title = " ".join(words[:PROVISIONAL_TITLE_WORDS]) + ("…" if len(words) > PROVISIONAL_TITLE_WORDS else "")
    return Finding(title[0].upper() + title[1:], LOW, FIRST_SENTENCE)


# --- Publication date ---------------------------------------------------


def date_from_month_line(line):
    """('date 2022-12 Premier du genre…') -> (Finding or None, the line without the date)."""
    match = _MONTH_LINE.match(line)
    if not match:
        return None, line
    year, month = int(match["year"]), int(match["month"])
    rest = line[match.end() :]
    if match["day"]:
        value = datetime.date(year, month, int(match["day"]))
        return Finding(value, HIGH, match.group(0).strip()), rest
    return Finding(PartialDate(year, month), LOW, match.group(0).strip()), rest


def date_from_url(url):
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month = int(match["year"]), int(match["month"])
    if match["day"]:
        return Finding(datetime.date(year, month, int(match["day"])), MEDIUM, url)
    return Finding(PartialDate(year, month), LOW, url)


def _first_date(pattern, paragraphs, folded, confidence):
    for paragraph, folded_paragraph in zip(paragraphs, folded):
        match = pattern.search(folded_paragraph)
        if match:
            try:
                evidence = paragraph[match.start() : match.end()]
                return Finding(frdates.parse_date(match["date"]).date(), confidence, evidence)
            except ValueError:
                continue
    return None


# --- Publication line: a byline date near the top ("Publié le 18 Sep 2017 - 19:28",
# "Société | 30 avril 2025", "Publié le mercredi 6 avril 2022 à 18h20min") -------

ENGLISH_MONTHS = {
    "jan": "janvier",
    "feb": "fevrier",
    "mar": "mars",
    "apr": "avril",
    "may": "mai",
    "jun": "juin",
    "jul": "juillet",
    "aug": "aout",
    "sep": "septembre",
    "oct": "octobre",
    "nov": "novembre",
    "dec": "decembre",
}
_ENGLISH_DATE = re.compile(
    r"\b(?P<day>\d{1,2})\s+(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<year>\d{4})\b"
)
_NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})\b")
_FULL_DATE = re.compile(rf"\b{frdates.DATE_PATTERN}")
PUBLICATION_LINE_WINDOW = 8  # paragraphs at the top where a byline date may stand
PUBLICATION_LINE_MAX = 80
PUBLICATION_LINE_REST = 30  # what a byline holds besides its date: "Publié le", "Société |", "- 19:28"


def _french_months(folded):
    """'18 sep 2017' -> '18 septembre 2017', '30/04/2025' -> '30 avril 2025' (folded text)."""
    folded = _ENGLISH_DATE.sub(lambda m: f"{m['day']} {ENGLISH_MONTHS[m['month']]} {m['year']}", folded)
    months = {number: name for name, number in frdates.MONTHS.items() if len(name) > 4 or name == "mars"}
    months[5], months[6], months[8] = "mai", "juin", "aout"

    def numeric(match):
        month = int(match["month"])
        return f"{match['day']} {months[month]} {match['year']}" if 1 <= month <= 12 else match.group(0)

    return _NUMERIC_DATE.sub(numeric, folded)


def date_in_line(line):
    """(date, evidence) when the line is a byline date: short, a full date with its year, little else."""
    if not line or len(line) > PUBLICATION_LINE_MAX:
        return None
    folded = _french_months(fold(line))
    match = _FULL_DATE.search(folded)
    if not match or not re.search(r"\d{4}$", match.group(0)):
        return None
    if len(folded) - len(match.group(0)) > PUBLICATION_LINE_REST:
        return None
    try:
        return frdates.parse_date(match.group(0)).date(), line.strip()
    except ValueError:
        return None


def publication_line(paragraphs):
    """(Finding, paragraphs without that line) for a byline date near the top, else (None, paragraphs)."""
    for index, line in enumerate(paragraphs[:PUBLICATION_LINE_WINDOW]):
        found = date_in_line(line)
        if found:
            return Finding(found[0], HIGH, found[1]), paragraphs[:index] + paragraphs[index + 1 :]
    return None, paragraphs


def publication_date(paragraphs):
    """From "Publié le …" or a dateline "Bamako, 8 octobre 2024 —". A day named in the text
    ("ce mardi 8 octobre 2024") is the event's, not the publication's: see day_named_in_text."""
    folded = [fold(paragraph) for paragraph in paragraphs]
    return _first_date(_PUBLISHED, paragraphs, folded, HIGH) or _first_date(_DATELINE, paragraphs, folded, HIGH)


def day_named_in_text(paragraphs):
    """A Finding for the first "ce mardi 8 octobre 2024" of the text: a hint for the officer
    when the publication date is missing, never the publication date itself."""
    return _first_date(_STARTED, paragraphs, [fold(paragraph) for paragraph in paragraphs], LOW)


# --- Author -------------------------------------------------------------


def _person_name(name):
    """'Aminata Bocar SOW' -> 'Aminata Bocar Sow': capitals only for initials."""
    return " ".join(word.capitalize() if len(word) > 2 and word.isupper() else word for word in name.split())


def author(signature):
    """(author Finding, service Finding) from a signature line such as 'Aminata Bocar SOW, CCOM- RP/CMSS.'."""
    parts = signature_parts(signature) if signature else None
    if not parts:
        return None, None
    name, service = parts
    service = re.sub(r"\s*([-/])\s*", r"\1", service).rstrip(".")
    return (
        Finding(_person_name(name), MEDIUM if not service else HIGH, signature),
        Finding(service, HIGH, signature) if service else None,
    )


# --- Institutions -------------------------------------------------------


def _names_pattern(registry):
    """One regular expression for every name of the registry: the text is read once."""
    names = {
        normalize(name): institution.acronym
        for institution in registry
        for name in (institution.acronym, institution.name, *institution.aliases)
    }
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), names


def _searchable(text):
    """Folded text with the apostrophes and spaces of registry names (see registry.normalize)."""
    return " ".join(fold(text).replace("’", "'").split())


def institutions(text, registry):
    """Acronyms of the registry named in the text (acronym, full name or variant, any case),
    the most cited first."""
    pattern, names = _names_pattern(registry)
    counts, first = {}, {}
    for match in pattern.finditer(_searchable(text)):
        acronym = names[match.group(0)]
        counts[acronym] = counts.get(acronym, 0) + 1
        first.setdefault(acronym, match.start())
    return sorted(counts, key=lambda acronym: (-counts[acronym], first[acronym]))


def _previous_word(text, position):
    """The word before ``position``, read in a bounded window (the text is never rescanned)."""
    words = text[max(position - WORD_WINDOW, 0) : position].split()
    return words[-1] if words else ""


def unknown_acronyms(text, registry):
    """Acronyms in the text that the registry does not know: candidates to add."""
    candidates, known = set(), {}  # known: acronym -> roman numeral or in the registry (looked up once)
    for match in _ACRONYM.finditer(text):
        acronym = match["acronym"]
        if acronym in candidates:
            continue
        if acronym not in known:
            known[acronym] = bool(_ROMAN.match(acronym) or registry.find(acronym))
        letters = sum(c.isalpha() for c in acronym.split("-")[0])
        in_parentheses = text[max(match.start() - 1, 0)] == "("
        previous = _previous_word(text, match.start())
        after_a_name = previous[:1].isupper() and not previous.isupper()
        if (
            known[acronym]
            or (after_a_name and not in_parentheses)
            or (letters > ACRONYM_MAX_LETTERS and not in_parentheses)
        ):
            continue
        candidates.add(acronym)
    return sorted(candidates)


# --- Event --------------------------------------------------------------


def _name_after(text, match):
    following = text[match.end() : match.end() + NAME_WINDOW]  # bounded: never the rest of the text
    sentence = re.split(r"[,.;:!?«»\n]", following, maxsplit=1)[0].split()
    words = []
    for index, word in enumerate(sentence[:14]):
        if _NAME_STOP.match(" ".join(sentence[index:]).replace("’", "'")):
            break
        words.append(word)
    while words and words[-1].lower().replace("’", "'") in _TRAILING_LINKS:
        words.pop()
    name = " ".join([match["kind"], *words])
    ordinal = _ORDINAL.search(text[max(match.start() - WORD_WINDOW, 0) : match.start()])
    if ordinal:
        name = f"{ordinal.group(1)}e {name}"
    return name[0].upper() + name[1:]


def event_name(text):
    """The event the article is about: the first kind named (atelier, séminaire…), with the
    longest name written for it. (kind Finding, name Finding) or (None, None)."""
    text = re.sub(r"\s*\(\s*([A-ZÀ-Ý][\w-]+)\s*\)", r" \1", text)  # "du (CARES-Mali)" -> "du CARES-Mali"
    matches = list(_KIND.finditer(text))
    if not matches:
        return None, None
    kind = fold(matches[0]["kind"]).rstrip("s")
    first = _name_after(text, matches[0])
    folded_first = fold(first)
    names = (_name_after(text, m) for m in matches if fold(m["kind"]).rstrip("s") == kind)
    longest = max((n for n in names if fold(n).startswith(folded_first)), key=lambda n: len(n.split()))
    return Finding(matches[0]["kind"].lower(), MEDIUM, matches[0].group(0)), Finding(longest, MEDIUM, longest)


def event_dates(text, year=None):
    """(start Finding, end Finding, problem) read from a period ("du 13 au 15 novembre 2019",
    "les 23 et 24 septembre") or a start and a length ("Démarrée ce mardi 8 octobre 2024 … en trois jours").
    ``year`` (of publication) completes a period written without one."""
    folded = fold(text)  # same length as text: evidence is quoted from the text, with its accents
    period = frdates._RANGE.search(folded)
    if period:
        evidence = text[period.start() : period.end()].strip(" .")
        try:
            start, end = frdates.parse_date_range(period.group(0), default_year=year)
        except ValueError as error:
            return None, None, f"dates de l'événement incomplètes : {error}"
        confidence = HIGH if re.search(r"\d{4}", evidence) else MEDIUM
        return Finding(start, confidence, evidence), Finding(end, confidence, evidence), None
    started = _STARTED.search(folded)
    if not started:
        day = _DAY.search(folded)
        return _single_day(text, day, year) if day else (None, None, None)
    try:
        start = frdates.parse_date(started["date"], default_year=year).date()
    except ValueError as error:
        return None, None, f"date de l'événement incomplète : {error}"
    started_words = text[started.start() : started.end()]
    duration = _DURATION.search(folded)
    if not duration:  # "ce mardi 8 octobre": that day; "démarrée le 8 octobre": the end is unknown
        end = Finding(start, MEDIUM, started_words) if _THIS_DAY.match(started.group(0)) else None
        return Finding(start, MEDIUM, started_words), end, None
    days = int(duration["n"]) if duration["n"].isdigit() else _NUMBERS[duration["n"]]
    end = start + datetime.timedelta(days=days - 1)
    evidence = f"{started_words} … {text[duration.start() : duration.end()]}"
    return Finding(start, MEDIUM, evidence), Finding(end, MEDIUM, evidence), None


def _single_day(text, match, year):
    """(start, end, problem) for one day named with its weekday: "le mercredi 30 septembre 2020"."""
    try:
        day = frdates.parse_date(match["date"].replace(",", ""), default_year=year).date()
    except ValueError as error:
        return None, None, f"date de l'événement incomplète : {error}"
    evidence = text[match.start() : match.end()]
    return Finding(day, MEDIUM, evidence), Finding(day, MEDIUM, evidence), None


def event_place(text):
    """Where the event takes place: "tenu à Bamako", "du 13 au 15 novembre à l'Union technique…",
    "dans les locaux de la Direction Générale", "atelier à Kaolack"."""
    verbs = r"(?:tenue?s?|organisée?s?|déroulée?s?|organise|se tient|se tiendra|a lieu|aura lieu)"
    period = r"(?:du|les)\s+[^,.;]{1,40}?\d{1,2}\s+\w+(?:\s+\d{4})?"
    kinds = "|".join(EVENT_KINDS)
    patterns = (
        (rf"\b{verbs}\s+(?:{period}\s+)?à\s+{_PLACE}", HIGH),
        (rf"\b{period}\s+à\s+{_PLACE}", HIGH),
        (rf"\b(?:dans les locaux|au siège|dans la salle|à la salle)\s+(?:de\s+|du\s+|d['’])?{_PLACE}", MEDIUM),
        (rf"\b(?i:{kinds})\s+à\s+{_CAPITALIZED_PLACE}", MEDIUM),
    )
    for pattern, confidence in patterns:
        match = re.search(pattern, text)
        if match:
            place = re.sub(r"^(?:l['’]|la\s+|le\s+)", "", match["place"].strip())
            return Finding(place[0].upper() + place[1:], confidence, match.group(0))
    return None
