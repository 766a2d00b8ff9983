"""The text of an article or a page: what its HTML may hold, in one allow-list.

Officers write Markdown; what Markdown (and the little raw HTML it lets through)
makes of it may hold only the elements, attributes and addresses below. The
same tables serve the two walls:

- ``check_body``: what the sanitizer would remove, one French line each, with
  its line in the source file (``invoke lint`` and the build, through
  ``pressroom.build.lint``), so that the officer knows and nothing vanishes silently;
  with it, the limits that keep Markdown's work bounded (nesting, brackets);
- ``sanitize``: whatever reaches a page's ``content`` goes through ``nh3`` (the
  Ammonia sanitizer) with these tables, and loses the invisible format
  characters (``pressroom.content.text.INVISIBLE``) that the check refused already.

Links lead to ``http(s)``, ``mailto:``, ``tel:`` or a page of the site (Pelican's
``{filename}``/``{static}`` forms included); images come from the site's own
photos (``content/images``), never from another host.
"""

import dataclasses
import re

import lxml
import lxml.etree
import lxml.html
import markdown
import nh3
from pelican.readers import MarkdownReader

from pressroom.content.text import INVISIBLE
from pressroom.settings import setting

# --- The allow-list ------------------------------------------------------------

HEADINGS = {"h2", "h3", "h4"}  # the page's title is its only <h1>
# element -> the attributes it may carry
ATTRIBUTES = {
    "p": set(),
    "br": set(),
    "hr": set(),
    **{heading: {"id"} for heading in HEADINGS},
    "em": set(),
    "strong": set(),
    "ul": set(),
    "ol": {"start"},
    "li": {"id"},  # footnotes
    "dl": set(),
    "dt": set(),
    "dd": set(),
    "blockquote": set(),
    "table": set(),
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tfoot": set(),
    "tr": set(),
    "th": {"colspan", "rowspan", "scope", "style"},  # style: text-align of Markdown tables only
    "td": {"colspan", "rowspan", "style"},
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "figure": set(),
    "figcaption": set(),
    "abbr": {"title"},
    "code": {"class"},
    "pre": {"class"},
    "div": {"class"},  # footnotes, highlighted code
    "span": {"class"},  # highlighted code
    "sup": {"id"},  # footnote references, ordinals
    "sub": set(),
}
ELEMENTS = frozenset(ATTRIBUTES)
# Removed with everything inside them (their text is no text of the release).
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "title"})
URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
STYLE = re.compile(r"^\s*text-align:\s*(?:left|right|center)\s*;?\s*$", re.I)
# A body photo: « {static}/images/… » (or Pelican's older |static|), or /images/… from the site's root.
SITE_PHOTO = re.compile(r"^(?:\{static\}|\|static\|)?/?images/(?!.*(?:^|/)\.\.(?:/|$))[^?#\\]+$")
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# What browsers ignore in a URL before reading its scheme.
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")


def url_scheme(value):
    """The scheme a browser would read in ``value`` (« javascript »), or None for a relative address."""
    found = SCHEME.match(URL_NOISE.sub("", value).lower())
    return found.group(1) if found else None


def refused_url(element, attribute, value):
    """Why ``value`` may not stand in ``element``'s ``attribute`` (French), or None."""
    scheme = url_scheme(value)
    if element == "img":
        return None if SITE_PHOTO.match(value.strip()) else f"image prise hors des photos du site « {value} »"
    if scheme and scheme not in LINK_SCHEMES:
        return f"adresse {scheme}: interdite dans un lien « {value} »"
    return None


def refused_attribute(element, attribute, value):
    """Why ``attribute="value"`` may not stand on ``element`` (French), or None."""
    if attribute not in ATTRIBUTES.get(element, ()):
        return f"attribut {attribute} interdit dans <{element}>"
    if attribute == "style" and not STYLE.match(value or ""):
        return f"attribut style interdit dans <{element}> (seul l'alignement d'un tableau est permis)"
    if (element, attribute) in URL_ATTRIBUTES:
        return refused_url(element, attribute, value or "")
    return None


def _keep_attribute(element, attribute, value):
    return None if refused_attribute(element, attribute, value) else value


def sanitize(fragment):
    """The HTML ``fragment`` with only what the allow-list lets through (the second wall)."""
    if not fragment:
        return fragment
    return nh3.clean(
        INVISIBLE.sub("", str(fragment)),
        tags=set(ELEMENTS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={element: set(names) for element, names in ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes=set(LINK_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


# --- What the sanitizer would remove, for the officer -----------------------------


@dataclasses.dataclass(frozen=True)
class Refusal:
    """One thing of the HTML that the sanitizer would remove: ``message`` in French, and the
    text to look for in the source to find its line."""

    message: str
    hint: str
    needle: str


ELEMENT_HINT = "le texte s'écrit en Markdown, sans cette balise (voir docs/guide-redaction.md)"
HEADING_HINTS = {
    "h1": "le titre de la page est le seul titre de niveau 1 : commencez vos intertitres par ##",
    "h5": "un intertitre commence par ##, ### ou #### (trois niveaux au plus)",
    "h6": "un intertitre commence par ##, ### ou #### (trois niveaux au plus)",
}
ATTRIBUTE_HINT = "supprimez cet attribut : la mise en forme vient du site"
LINK_HINT = "un lien mène à une adresse https://, mailto:, tel: ou à une page du site"
PHOTO_HINT = "déposez la photo dans content/images et écrivez ![description]({static}/images/nom.jpg)"


def _element_refusals(element):
    """What the sanitizer would remove of one element: the element itself, or its attributes."""
    tag = element.tag
    if tag not in ELEMENTS:
        return [Refusal(f"élément <{tag}> interdit dans le texte", HEADING_HINTS.get(tag, ELEMENT_HINT), f"<{tag}")]
    found = []
    for name, value in element.attrib.items():
        why = refused_attribute(tag, name, value)
        if why and name in ATTRIBUTES[tag]:
            hint = PHOTO_HINT if tag == "img" else LINK_HINT if name == "href" else ATTRIBUTE_HINT
            found.append(Refusal(why, hint, value or name))
        elif why:
            found.append(Refusal(why, ATTRIBUTE_HINT, name))
    return found


# What libxml2 cannot hold (the check of the whole file reports these characters itself).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refusals(fragment):
    """What the sanitizer would remove from ``fragment`` (Refusals, in order), and how deep its
    elements are nested. Parsed by libxml2 (lxml), in time proportional to the fragment's length;
    comments are no elements, and libxml2 stops nesting at 255 levels, far beyond the setting."""
    root = lxml.html.fragment_fromstring(NOT_XML.sub("", fragment or ""), create_parent="div")
    found, depth, deepest = [], 0, 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        if element is root:
            continue
        if event == "end":
            depth -= 1
            continue
        depth += 1
        deepest = max(deepest, depth)
        found += _element_refusals(element)
    return found, deepest


# --- The body of a source file ---------------------------------------------------


class TooDeep(ValueError):
    """Markdown nested deeper than Python can convert."""


def render(text, settings):
    """The HTML that Pelican's Markdown reader makes of a source file's text (header left out),
    with the reader's own options (it names the extensions of MARKDOWN's extension_configs)."""
    try:
        return markdown.Markdown(**MarkdownReader(settings).settings["MARKDOWN"]).convert(text)
    except RecursionError:
        raise TooDeep() from None


def source_line(lines, needle, first):
    """The first line (numbered from 1), from ``first`` on, that holds ``needle``; else ``first``."""
    wanted = needle.lower()
    for number in range(first, len(lines) + 1):
        if wanted in lines[number - 1].lower():
            return number
    return first


QUOTE_OR_INDENT = re.compile(r"^((?:[ \t]*>)*)([ \t]*)")


def source_depth(line):
    """How deep a source line is nested: one level per quote marker and per four spaces of indentation."""
    quotes, indent = QUOTE_OR_INDENT.match(line).groups()
    return quotes.count(">") + len(indent.expandtabs(4)) // 4


def deepest_line(lines, first):
    """The line of the body (numbered from 1) nested deepest in the source: where to look."""
    return max(range(first, len(lines) + 1), key=lambda number: source_depth(lines[number - 1]), default=first)


def body_start(header):
    """The first line after the header."""
    return max((entry.line + len(entry.lines) for entry in header.entries), default=1)


MAX_PROBLEMS = 20  # a text full of pasted HTML: each different thing once, and the first twenty say what to do
DEPTH_HINT = "simplifiez les listes et citations imbriquées les unes dans les autres"


BRACKETS_HINT = "un paragraphe a rarement plus de quelques liens : découpez-le, ou retirez les signes en trop"


def paragraphs(lines, first):
    """(line number, lines) of each block of non-blank lines, from line ``first`` on."""
    block, start = [], first
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        if line.strip():
            start = start if block else number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def bracket_problems(lines, first, check):
    """Paragraphs with more than BODY_MAX_BRACKETS « [ » and « < »: Markdown looks for the end of each
    link (or automatic link) up to the end of its paragraph, and so takes a time that grows with
    their number × its length."""
    limit = setting(check.settings, "BODY_MAX_BRACKETS")
    return [
        check.problem(start, "texte", f"paragraphe de {count} crochets « [ » ou « < », {limit} au plus", BRACKETS_HINT)
        for start, block in paragraphs(lines, first)
        if (count := sum(line.count("[") + line.count("<") for line in block)) > limit
    ]


def check_body(text, header, check):
    """Problems of the text after the header of a Markdown source file: paragraphs that Markdown
    would take too long to read, elements nested more than BODY_MAX_NESTING deep, and everything
    that the sanitizer would remove, each at its line."""
    lines, first = text.splitlines(), body_start(header)
    too_long = bracket_problems(lines, first, check)
    if too_long:
        return too_long
    limit = setting(check.settings, "BODY_MAX_NESTING")
    too_deep = check.problem(
        deepest_line(lines, first), "texte", f"texte imbriqué sur plus de {limit} niveaux", DEPTH_HINT
    )
    try:
        fragment = render(text, check.settings)
    except TooDeep:
        return [too_deep]
    found, depth = refusals(fragment)
    return ([too_deep] if depth > limit else []) + [
        check.problem(source_line(lines, refusal.needle, first), "texte", refusal.message, refusal.hint)
        for refusal in list(dict.fromkeys(found))[:MAX_PROBLEMS]
    ]
