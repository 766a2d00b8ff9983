"""French typography for titles, summaries and bodies, and the acronyms of
registered institutions marked up as ``<abbr>`` (the first one linked to the
institution's page).

The work is done by the readers, so that Pelican's reader cache keeps the
typeset text and a rebuild does not typeset unchanged files again (the content
gate keys that cache by our code, settings and registry). French rules apply
to French contents only (``Lang``, else ``DEFAULT_LANG``). Signals:
``readers_init`` makes every reader typeset the summary and the body it reads;
``content_object_init`` typesets the title, after Pelican has made the slug
from it; ``article_generator_init`` gives the article readers the registered
acronyms; the pipeline's ``links`` stage tells Pelican the URL of each
institution page, once the institutions stage has made them, and typesets the
registry's names and descriptions that the pages show.

Choice of space: one character throughout, the narrow no-break space U+202F
(« espace fine insécable »), before ``: ; ! ?`` and ``»``, after ``«``,
between a number and its unit or ``%``, in ``n° 0740``, ``1er juillet`` and
``15 h 30``, and as the thousands separator (``10 000``). One character keeps
the text consistent and the rules idempotent.

typogrify is not used: its quote rules (smartypants) make English quotes and
its other filters (``caps``, ``amp``, ``widont``) wrap words in spans or add
``&nbsp;`` entities that do nothing for French; Pelican's TYPOGRIFY stays off.

One pass per field, in time proportional to its length (``invoke bench``
prints it for 100 KB, 1 MB and 3 MB): the HTML is split into tags, whole
``pre/code/kbd/samp/script/style/textarea`` elements and comments (kept as
they are) and text (typeset); URLs, e-mail addresses and entities inside text
are kept as they are too.
"""

import re

from pelican import signals
from pelican.contents import Article, Page

from pressroom.build import pipeline
from pressroom.build.readers import add_reader_mixin
from pressroom.content import schema
from pressroom.content.registry import Registry
from pressroom.settings import registry_path, setting

__all__ = ["register", "typeset", "mark_acronyms"]

NNBSP = "\u202f"

# --- Splitting HTML --------------------------------------------------------

RAW_ELEMENTS = "pre|code|kbd|samp|script|style|textarea"
RAW_OPEN = re.compile(rf"<({RAW_ELEMENTS})\b", re.I)
RAW_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in RAW_ELEMENTS.split("|")}
TAG = re.compile(r"<[^<>]*>")  # a lone « < » is text: the next one starts the next search


def split_around(pattern, text):
    """Yield (False, match) for each match of ``pattern`` and (True, piece) for the text between."""
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            yield True, text[position : match.start()]
        yield False, match.group(0)
        position = match.end()
    if position < len(text):
        yield True, text[position:]


def markup_end(html, start):
    """Where the comment, raw element or tag that starts at ``start`` ends, or None for a lone « < ».
    A comment or a raw element left open runs to the end: no part of the text is searched twice."""
    if html.startswith("<!--", start):
        close = html.find("-->", start + 4)
        return len(html) if close < 0 else close + 3
    raw = RAW_OPEN.match(html, start)
    if raw:
        close = RAW_CLOSE[raw.group(1).lower()].search(html, raw.end())
        return len(html) if close is None else close.end()
    tag = TAG.match(html, start)
    return tag.end() if tag else None


def split_html(html):
    """Yield (is_text, piece) pairs: text to typeset, or markup to keep (whole comments and
    ``pre/code/kbd/samp/script/style/textarea`` elements, tags), in one pass over ``html``."""
    text_start = position = 0
    while (start := html.find("<", position)) >= 0:
        end = markup_end(html, start)
        if end is None:
            position = start + 1
            continue
        if start > text_start:
            yield True, html[text_start:start]
        yield False, html[start:end]
        text_start = position = end
    if text_start < len(html):
        yield True, html[text_start:]


# --- French typography of one text node ------------------------------------

SPACES = "[ \t\n\xa0\u202f]"
UNITS = (
    "%",
    "‰",
    "km",
    "m",
    "cm",
    "mm",
    "m²",
    "km²",
    "ha",
    "kg",
    "g",
    "t",
    "l",
    "L",
    "kW",
    "MW",
    "FCFA",
    "F CFA",
    "CFA",
    "€",
    "$",
    "USD",
    "h",
    "min",
    "s",
    "ans",
    "an",
    "jours",
    "jour",
    "mois",
    "semaines",
    "semaine",
    "heures",
    "heure",
    "minutes",
    "années",
    "année",
)
_UNIT = "|".join(re.escape(u).replace(r"\ ", SPACES + "+") for u in sorted(UNITS, key=len, reverse=True))

# Kept untouched inside text: URLs, e-mail addresses, HTML entities.
_URL_END = r"[^\s<>\"]*[^\s<>\".,;:!?)»]"
PROTECTED = re.compile(
    rf"(?:(?:https?|ftp)://|mailto:|www\.){_URL_END}"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.-]*\w|&#?\w+;"
)
PROTECTED_HINTS = ("://", "mailto:", "www.", "@", "&")

NUMBER_RULES = [
    # 15 h 30, 15h30, 9h
    (
        re.compile(rf"(?<![\w.,])(\d{{1,2}}){SPACES}*h{SPACES}*(\d{{2}})?(?!\w)"),
        lambda m: m.group(1) + NNBSP + "h" + (NNBSP + m.group(2) if m.group(2) else ""),
    ),
    # 1 500 FCFA: thousands separated by the narrow space
    (re.compile(rf"(?<=\d){SPACES}(?=\d{{3}}(?!\d))"), lambda m: NNBSP),
    # number and unit; 12% becomes 12 %; not « 2019 l’atelier »
    (
        re.compile(rf"(?<=\d)(?:{SPACES}+|(?=[%‰]))({_UNIT})(?![\w’'])"),
        lambda m: NNBSP + re.sub(SPACES + "+", NNBSP, m.group(1)),
    ),
    # n° 0740, N°12
    (re.compile(rf"(?<!\w)([nN]°){SPACES}*(?=\d)"), lambda m: m.group(1) + NNBSP),
    # 1er juillet, 3e séminaire, 2ème phase
    (re.compile(rf"(?<!\w)(\d+(?:er|re|ère|e|ème|eme)){SPACES}+(?=\w)"), lambda m: m.group(1) + NNBSP),
]
APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\w)")
# A run of spaces before a sign is matched from its first space only (``RUN_START``): tried from
# every space of a long run, the search would take a time that grows with the square of its length.
RUN_START = rf"(?<!{SPACES})"
DOUBLE_QUOTE = re.compile(rf"{RUN_START}{SPACES}*\"{SPACES}*")
GUILLEMETS = re.compile(rf"«{SPACES}*|{RUN_START}{SPACES}*»")
# : ; ! ? after a word, a closing quote or bracket; a colon only when a space
# or the end of the text follows (10:30 and http://x keep theirs).
PUNCTUATION = re.compile(rf"{RUN_START}{SPACES}*([;!?]|:(?=\s|$))")
PUNCTUATION_HINT, DIGIT = re.compile("[;:!?]"), re.compile(r"\d")
OPENING_CONTEXT = " \t\n\xa0\u202f([{«—–-/'’"


def _quotes(text, before):
    """Straight double quotes become « » with their spaces; whether a quote
    opens depends on the character before it, even across tags."""

    def replace(match):
        start = match.start()
        previous = text[start - 1] if start else before
        raw = match.group(0)
        leading = raw[: raw.index('"')]
        if previous == "" or previous in OPENING_CONTEXT or (leading and not previous.isspace()):
            return ("" if not leading else " ") + "«" + NNBSP
        return NNBSP + "»" + (" " if raw.endswith((" ", "\n", "\t")) else "")

    return DOUBLE_QUOTE.sub(replace, text)


def _punctuation(text, before):
    def replace(match):
        start = match.start()
        previous = text[start - 1] if start else before
        if previous in ("", " ", "\n", "\t") or previous in ";:!?":
            return match.group(0)
        return NNBSP + match.group(1)

    return PUNCTUATION.sub(replace, text)


def _typeset_plain(text, before):
    """The rules, on text known to hold no URL, address or entity; each rule
    runs only when its trigger character is present (archive-scale speed)."""
    if "'" in text:
        text = APOSTROPHE.sub("’", text)
    if '"' in text:
        text = _quotes(text, before)
    if "«" in text or "»" in text:
        text = GUILLEMETS.sub(lambda m: "«" + NNBSP if m.group(0).startswith("«") else NNBSP + "»", text)
    if PUNCTUATION_HINT.search(text):
        text = _punctuation(text, before)
    if DIGIT.search(text):
        for pattern, replace in NUMBER_RULES:
            text = pattern.sub(replace, text)
    return text


def split_protected(text):
    """Yield (is_plain, piece): URLs, e-mail addresses and entities are not plain."""
    if not any(hint in text for hint in PROTECTED_HINTS):
        return [(True, text)]
    return split_around(PROTECTED, text)


def typeset_text(text, before=""):
    """French typography of a text without tags; ``before`` is the character
    that precedes it in the document (for quotes and punctuation)."""
    pieces = []
    for is_plain, piece in split_protected(text):
        if is_plain:
            piece = _typeset_plain(piece, before)
        pieces.append(piece)
        before = piece[-1:] or before
    return "".join(pieces)


def typeset(html):
    """French typography of an HTML fragment (or a plain title); idempotent."""
    if not html:
        return html
    pieces, before = [], ""
    for is_text, piece in split_html(html):
        if is_text:
            piece = typeset_text(piece, before)
            before = piece[-1:] or before
        pieces.append(piece)
    return "".join(pieces)


# Ordinals raised in bodies (never in titles, which are text): 1er, 1re, 3e; « 3ème » is written 3e.
ORDINAL = re.compile(r"(?<![\w.,])(\d+)(er|re|ère|e|ème|eme)(?![\w’'])")
ORDINAL_SUFFIXES = {"er": "er", "re": "re", "ère": "re", "e": "e", "ème": "e", "eme": "e"}


def raise_ordinals(html):
    """« 3e séminaire » as « 3<sup>e</sup> séminaire » in the text of an HTML fragment; idempotent."""
    if not html:
        return html
    pieces = []
    for is_text, piece in split_html(html):
        if is_text:
            piece = "".join(
                ORDINAL.sub(lambda m: f"{m.group(1)}<sup>{ORDINAL_SUFFIXES[m.group(2)]}</sup>", part) if plain else part
                for plain, part in split_protected(piece)
            )
        pieces.append(piece)
    return "".join(pieces)


# --- Acronyms ---------------------------------------------------------------

HEADING = re.compile(r"</?h[1-6]\b", re.I)
LINK_OPEN, LINK_CLOSE = re.compile(r"<a\b", re.I), re.compile(r"</a\s*>", re.I)
ABBR_OPEN, ABBR_CLOSE = re.compile(r"<abbr\b", re.I), re.compile(r"</abbr\s*>", re.I)


def acronym_pattern(acronyms):
    names = sorted(acronyms, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])")


def mark_acronyms(html, names, links, pattern=None):
    """Wrap each acronym of ``names`` (acronym -> full name) in ``<abbr>``;
    link the first one of each institution to ``links[acronym]``, outside
    links and headings. Acronyms already in an ``<abbr>`` are left alone."""
    if not html or not names:
        return html
    pattern = pattern or acronym_pattern(names)
    linked, pieces = set(), []
    in_link = in_abbr = in_heading = 0
    for is_text, piece in split_html(html):
        if not is_text:
            in_link += bool(LINK_OPEN.match(piece)) - bool(LINK_CLOSE.match(piece))
            in_abbr += bool(ABBR_OPEN.match(piece)) - bool(ABBR_CLOSE.match(piece))
            if HEADING.match(piece):
                in_heading = not piece.startswith("</")
            pieces.append(piece)
            continue
        if in_abbr:
            pieces.append(piece)
            continue

        def replace(match, plain=bool(in_link or in_heading)):
            acronym = match.group(1)
            abbr = f'<abbr title="{_attribute(names[acronym])}">{acronym}</abbr>'
            if plain or acronym in linked or acronym not in links:
                return abbr
            linked.add(acronym)
            return f'<a href="{links[acronym]}">{abbr}</a>'

        pieces.append(pattern.sub(replace, piece))
    return "".join(pieces)


def _attribute(text):
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- Pelican ------------------------------------------------------------------


class Acronyms:
    """The registered acronyms and their links through Pelican's {filename}
    mechanism, so that they are written relative or absolute like any internal link."""

    def __init__(self, institutions, prefix):
        self.names = {i.acronym: i.name for i in institutions}
        self.links = {i.acronym: "{filename}/" + prefix + i.slug for i in institutions}
        self.pattern = acronym_pattern(self.names) if self.names else None

    def mark(self, html):
        return mark_acronyms(html, self.names, self.links, self.pattern)


class FrenchTypography:
    """Reader mixin: the summary, the body and the text fields come out typeset (and an
    article's body with its acronyms marked up), as Pelican caches them."""

    acronyms = None  # an Acronyms on the article readers only

    def read(self, source_path):
        content, metadata = super().read(source_path)
        if is_french(schema.Fields(metadata).lang, self.settings):
            schema.typeset_fields(metadata, typeset)  # the fields whose kind says so (summary, event, photo)
            content = raise_ordinals(typeset(content))
        if self.acronyms:
            content = self.acronyms.mark(content)
        return content, metadata


def use_typography(readers):
    """Make every enabled reader typeset what it reads."""
    add_reader_mixin(readers, FrenchTypography)


def is_french(lang, settings):
    """French typography for French contents only, when it is enabled."""
    language = str(lang or settings.get("DEFAULT_LANG") or "")
    return setting(settings, "TYPOGRAPHY_ENABLED") and language.lower().startswith("fr")


def typeset_title(content):
    """Once Pelican has made the slug from the title as written, so that
    typography never changes a URL (« 9h » would give …-9-h)."""
    if not isinstance(content, (Article, Page)) or not is_french(schema.fields_of(content).lang, content.settings):
        return
    if getattr(content, "title", None):
        content.title = typeset(content.title)
        schema.retype(content, "title", content.title)


def give_acronyms_to_article_readers(generator):
    """Only the articles' readers: pages keep their acronyms as written."""
    if not setting(generator.settings, "TYPOGRAPHY_ACRONYMS"):
        return
    acronyms = Acronyms(
        Registry.load(registry_path(generator.settings)),
        setting(generator.settings, "TYPOGRAPHY_INSTITUTION_LINK_PREFIX"),
    )
    for reader in generator.readers.readers.values():
        if isinstance(reader, FrenchTypography):
            reader.acronyms = acronyms


class InstitutionLink:
    """What Pelican's {filename} link replacement needs: the target's URL."""

    def __init__(self, url):
        self.url = url


def link_institution_pages(generators):
    """The institution pages, under the source paths that the acronym links name."""
    articles_generators = [g for g in generators if hasattr(g, "articles") and hasattr(g, "drafts")]
    if not articles_generators:
        return
    context, settings = articles_generators[0].context, articles_generators[0].settings
    prefix = setting(settings, "TYPOGRAPHY_INSTITUTION_LINK_PREFIX")
    generated = context.setdefault("generated_content", {})
    for institution in context.get("institutions") or []:
        generated[prefix + institution.slug] = InstitutionLink(institution.url)


def typeset_registry_strings(generators):
    """The registry's names and descriptions, as readers see them on every page: typeset too."""
    settings = generators[0].settings
    if not is_french(None, settings):
        return
    for institution in generators[0].context.get("institutions") or []:
        institution.name = typeset(institution.name)
        institution.description = typeset(institution.description)


def register():
    signals.readers_init.connect(use_typography)
    pipeline.connect("links", typeset_registry_strings)
    signals.content_object_init.connect(typeset_title)
    signals.article_generator_init.connect(give_acronyms_to_article_readers)
    pipeline.connect("links", link_institution_pages)
