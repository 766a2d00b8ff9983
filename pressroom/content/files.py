"""Attachments of an article (``Attachments``): which documents may be published,
checked by their content, and what the page shows of each file,
« Communiqué signé (PDF, 240 Ko) ».

The types are an allow-list: documents a press officer attaches and a browser
downloads rather than runs (PDF, OpenDocument, Office Open XML without macros,
CSV, plain text, ZIP). SVG, HTML, JavaScript, XML and anything not listed are
refused, whatever their name says: each type's content is checked where it is
cheap (the first bytes, or the table of contents of the archive).
"""

import dataclasses
import os
import zipfile

from pressroom.content.text import file_size

MAX_BYTES = 30 * 1024 * 1024
HEAD_BYTES = 64 * 1024  # how much of a text file is read to check that it is text
ODF_MIMETYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OOXML_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
MACROS = "vbaProject.bin"


def head(path, size=HEAD_BYTES):
    with open(path, "rb") as source:
        return source.read(size)


def is_pdf(path):
    return head(path, 5) == b"%PDF-"


def is_text(path):
    """Plain text (CSV, TXT) in any 8-bit encoding: no NUL byte, which only binary files hold."""
    return b"\0" not in head(path)


def archive_names(path):
    """The names inside a ZIP archive, or None when the file is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def is_zip(path):
    return archive_names(path) is not None


def is_odf(extension):
    def check(path):
        try:
            with zipfile.ZipFile(path) as archive:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype == ODF_MIMETYPES[extension] and not macros_in(archive.namelist())
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False

    return check


def is_ooxml(extension):
    def check(path):
        names = archive_names(path) or []
        folder = OOXML_FOLDERS[extension]
        has_parts = "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
        return has_parts and not macros_in(names)

    return check


def macros_in(names):
    return any(name.rsplit("/", 1)[-1] == MACROS or name.startswith("Basic/") for name in names)


@dataclasses.dataclass(frozen=True)
class FileType:
    label: str  # what the page shows: « PDF »
    matches: object  # path -> bool: the content is of this type


TYPES = {
    "pdf": FileType("PDF", is_pdf),
    "odt": FileType("ODT", is_odf("odt")),
    "ods": FileType("ODS", is_odf("ods")),
    "odp": FileType("ODP", is_odf("odp")),
    "docx": FileType("Word", is_ooxml("docx")),
    "xlsx": FileType("Excel", is_ooxml("xlsx")),
    "pptx": FileType("PowerPoint", is_ooxml("pptx")),
    "csv": FileType("CSV", is_text),
    "txt": FileType("texte", is_text),
    "zip": FileType("ZIP", is_zip),
}
ALLOWED_HINT = "documents admis : PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX (sans macros), CSV, TXT ou ZIP"


def extension_of(path):
    name = os.path.basename(path)
    return name.rpartition(".")[2].lower() if "." in name else ""


def attachment_problem(path):
    """Why the file at ``path`` cannot be published as an attachment, in French, or None."""
    if not os.path.isfile(path):
        return (
            "fichier introuvable",
            "placez le fichier dans content/fichiers/ et vérifiez son nom (majuscules comprises)",
        )
    extension = extension_of(path)
    kind = TYPES.get(extension)
    if kind is None:
        shown = f".{extension}" if extension else "sans extension"
        return f"type de fichier refusé ({shown})", ALLOWED_HINT
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        return f"fichier trop lourd ({file_size(size)})", f"réduisez-le sous {file_size(MAX_BYTES)}"
    try:
        matches = kind.matches(path)
    except OSError:
        matches = False
    if not matches:
        return (
            f"le contenu n'est pas celui d'un fichier {extension.upper()}",
            "enregistrez le document de nouveau depuis son logiciel, sans macros, sous ce type",
        )
    return None


@dataclasses.dataclass(frozen=True)
class Download:
    url: str  # relative to the site root, as Pelican copies the static file
    label: str
    kind: str  # « PDF »
    size: str  # « 240 Ko »

    @property
    def details(self):
        return f"{self.kind}, {self.size}"


def download(attachment, content_folder):
    """The Download of a checked ``kinds.Attachment``."""
    path = os.path.join(content_folder, attachment.path)
    kind = TYPES[extension_of(path)].label
    return Download(attachment.path, attachment.label, kind, file_size(os.path.getsize(path)))
