"""The body of a release as the lite edition shows it: text elements only (a wall: the tags and
attributes below pass, nothing else), each image replaced by a link that says its format and
weight, embedded media by a link to the full version; and its top-level blocks, where a release
too long for one lite page is split."""

import html as entities
import re
import urllib.parse

from bs4 import BeautifulSoup, Comment, NavigableString

TEXT_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "u", "s",
    "blockquote", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "abbr", "br",
    "hr", "code", "pre", "sup", "sub", "dl", "dt", "dd", "figure", "figcaption", "span", "div",
    "time", "small", "cite", "q", "mark", "del", "ins",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"id", "lang", "title"},
    "a": {"href"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "time": {"datetime"},
    "ol": {"start"},
}
IMAGE_TAGS = {"img", "picture"}
# Removed with what they hold; the media among them leave a link to the full version.
MEDIA_TAGS = {"iframe", "video", "audio", "object", "embed", "canvas", "svg", "math"}
DROPPED_TAGS = {"script", "style", "template", "noscript", "link", "meta", "base", "form", "input", "button",
                "select", "textarea", "source", "track", "head", "title"}  # fmt: skip

URL_SCHEMES = {"", "http", "https", "mailto", "tel"}  # what a link may open; javascript:, data:… never
CONTROLS = re.compile(r"[\x00-\x20\x7f]+")  # browsers ignore them inside a scheme (« java\tscript: »)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!|<\?")
ATTRIBUTE = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def allowed_attribute(tag, name, value=""):
    if name == "href" and not safe_address(value):
        return False
    return name in ATTRIBUTES["*"] or name in ATTRIBUTES.get(tag, ())


def safe_address(value):
    """True for a relative address or one of URL_SCHEMES, entities and control characters included."""
    address = CONTROLS.sub("", entities.unescape(str(value)))
    return urllib.parse.urlsplit(address).scheme.lower() in URL_SCHEMES


def is_plain_text(html):
    """True when every tag of ``html`` is a text tag with allowed attributes only (the fast path:
    most releases are paragraphs and lists, and need no parsing)."""
    for match in TAG.finditer(html):
        if match.group(2) is None:
            return False  # a comment, a doctype, a processing instruction
        tag = match.group(2).lower()
        if tag not in TEXT_TAGS:
            return False
        for attribute in ATTRIBUTE.finditer(match.group(3).rstrip("/")):
            value = (attribute.group(2) or "").strip("\"'")
            if not allowed_attribute(tag, attribute.group(1).lower(), value):
                return False
    return True


def lite_body(html, image_label, full_url):
    """``html`` with text elements only. ``image_label(src)`` gives « JPEG, 120 Ko » for an image's
    address; ``full_url`` is the full version, where embedded media stay."""
    if is_plain_text(html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for element in soup.find_all(True):
        if element.decomposed or element.parent is None:
            continue
        name = element.name.lower()
        if name in IMAGE_TAGS:
            element.replace_with(image_link(soup, element, image_label))
        elif name in MEDIA_TAGS:
            element.replace_with(media_link(soup, full_url))
        elif name in DROPPED_TAGS:
            element.decompose()
        elif name not in TEXT_TAGS:
            element.unwrap()
        else:
            element.attrs = {k: v for k, v in element.attrs.items() if allowed_attribute(name, k.lower(), v)}
    return str(soup)


def image_link(soup, element, image_label):
    image = element if element.name.lower() == "img" else element.find("img")
    src = image.get("src", "") if image else ""
    if not src or not safe_address(src):
        return NavigableString("")
    link = soup.new_tag("a", href=src)
    alt = (image.get("alt") or "").strip()
    link.string = f"Voir l’image{' : ' + alt if alt else ''} ({image_label(src)})"
    return link


def media_link(soup, full_url):
    link = soup.new_tag("a", href=full_url)
    link.string = "Contenu multimédia : voir la version complète"
    return link


def blocks(html):
    """The top-level elements of ``html`` (and its text between them), as HTML strings."""
    soup = BeautifulSoup(html, "html.parser")
    return [str(node) for node in soup.contents if not (isinstance(node, NavigableString) and not node.strip())]
