"""The files of the content folder that an article or a page names, and whether
each may be published.

A content names a file in its header (``Image``, ``Attachments``) or in its body:
a ``{static}``/``{attach}`` link (``{filename}`` too, when it points at a file of
our two folders, as Pelican then links the static file), or a link from the
site's root to ``/images/…`` or ``/fichiers/…``. Only files that a published
content names reach the output, and only from two folders, each with its
allow-list of types: photos in content/images/ (``images.image_problem``),
documents in content/fichiers/ (``files.attachment_problem``). Anything else
named — a page of the site, an article's source, a file elsewhere — is refused.

``body_problems`` is the check of the body that `invoke lint` and the build
share; the header's fields are the schema's (``check_image``, ``check_attachments``),
which call the same two functions. ``named_problems`` (header and body) is what
the build checks on every content, pages included.
"""

import dataclasses
import html
import os
import posixpath
import re
import urllib.parse

from pressroom.content import files, images, schema
from pressroom.content.problems import Problem, problem_at
from pressroom.settings import setting

FOLDERS = ("images", "fichiers")
PHOTOS_FOLDER = "images"
BODY_FIELD = "texte"
STATIC_MARKERS = ("{static}", "{attach}", "|static|", "|attach|")
FILENAME_MARKERS = ("{filename}", "|filename|")
# The attributes that Pelican reads intrasite links from (``Content._get_intrasite_link_regex``).
LINK = re.compile(
    r"""<[^>]*?\b(?:href|src|poster|data|cite|formaction|action|content)\s*=\s*(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.I | re.S,
)


@dataclasses.dataclass(frozen=True)
class Link:
    path: str  # relative to the content folder, normalised ("../x" when it leaves it)
    written: str  # as written in the body, to find its line


def resolved(target, relative_dir):
    """The path of a ``{static}`` target as Pelican finds it: from the content folder when it
    starts with /, else from the folder of the content's source."""
    path = urllib.parse.unquote(urllib.parse.urlparse(target).path)
    path = path[1:] if path.startswith("/") else posixpath.join(relative_dir.replace(os.sep, "/"), path)
    return posixpath.normpath(path)


def in_folders(path):
    parts = path.split("/")
    return len(parts) > 1 and parts[0] in FOLDERS and ".." not in parts


def linked_path(value, relative_dir, siteurl=""):
    """The file of the content folder that a link of the body names, or None for any other link."""
    for marker in STATIC_MARKERS + FILENAME_MARKERS:
        if value.startswith(marker):
            path = resolved(value[len(marker) :], relative_dir)
            return path if marker in STATIC_MARKERS or in_folders(path) else None
    if siteurl and value.startswith(siteurl.rstrip("/") + "/"):
        value = value[len(siteurl.rstrip("/")) :]
    parsed = urllib.parse.urlparse(value)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    path = posixpath.normpath(urllib.parse.unquote(parsed.path)[1:])
    return path if path.split("/")[0] in FOLDERS else None


def body_links(content, siteurl=""):
    """Every file that the body of ``content`` (a Pelican content, read) names."""
    body = getattr(content, "_content", None) or ""
    found = []
    for match in LINK.finditer(body):
        value = html.unescape(match.group("value")).strip()
        path = linked_path(value, content.relative_dir, siteurl)
        if path is not None:
            found.append(Link(path, value))
    return found


def copied_links(content):
    """The files that the ``{static}`` links of ``content``'s body have Pelican copy as they are."""
    return [link.path for link in body_links(content) if link.written.startswith(("{static}", "|static|"))]


def header_paths(content):
    """The files that a content's header names, with their field: its photo and its attachments."""
    fields = schema.fields_of(content)
    photo = fields.image
    attachments = [("Attachments", a.path) for a in fields.attachments]
    return ([("Image", posixpath.normpath(photo))] if photo else []) + attachments


def named_paths(content, siteurl=""):
    """Every file of the content folder that ``content`` names, header and body."""
    header = {path for _, path in header_paths(content)}
    return header | {link.path for link in body_links(content, siteurl)}


def file_problem(relative, root, max_pixels, made_in=None):
    """Why the file ``relative`` (to the content folder ``root``) may not be published, in French, or None."""
    if not in_folders(relative):
        return (
            "fichier hors de content/images/ et content/fichiers/",
            "placez les photos dans content/images/ et les documents dans content/fichiers/, "
            "puis liez-les ainsi : {static}/images/nom.jpg",
        )
    path = os.path.join(root, relative)
    if relative.split("/")[0] == PHOTOS_FOLDER:
        return images.image_problem(path, max_pixels, made_in)
    return files.attachment_problem(path)


def line_of(path, written):
    """The line of the source file where ``written`` first appears (1 when it is not found)."""
    try:
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if written in line or html.unescape(line).find(written) >= 0:
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def body_problems(content, settings):
    """One problem per file that the body of ``content`` names and that may not be published."""
    root, max_pixels = settings["PATH"], setting(settings, "MEDIA_MAX_PIXELS")
    problems = []
    for link in body_links(content, settings.get("SITEURL", "")):
        found = file_problem(link.path, root, max_pixels, images.cache_folder(settings))
        if found:
            problems.append(
                Problem(
                    os.path.relpath(content.source_path, root),
                    BODY_FIELD,
                    f"{found[0]} « {link.path} »",
                    found[1],
                    line_of(content.source_path, link.written),
                )
            )
    return problems


def named_problems(content, settings):
    """The problems of every file that ``content`` names, header and body: what the build checks
    on each content, pages included (for an article, the header's are also the schema's)."""
    root, max_pixels = settings["PATH"], setting(settings, "MEDIA_MAX_PIXELS")
    problems = body_problems(content, settings)
    for field, relative in header_paths(content):
        found = file_problem(relative, root, max_pixels, images.cache_folder(settings))
        if found:
            problems.append(problem_at(content.source_path, field, f"{found[0]} « {relative} »", found[1], root))
    return problems
