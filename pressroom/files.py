"""Attachments of an article (``Attachments``): what the page shows of each file,
« Communiqué signé (PDF, 240 Ko) »."""

import dataclasses
import os

from .text import file_size

KINDS = {"pdf": "PDF", "doc": "Word", "docx": "Word", "odt": "ODT", "xls": "Excel", "xlsx": "Excel", "zip": "ZIP"}


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
    """The Download of a checked ``schema.Attachment``."""
    path = os.path.join(content_folder, attachment.path)
    extension = attachment.path.rpartition(".")[2].lower()
    kind = KINDS.get(extension, extension.upper() or "fichier")
    return Download(attachment.path, attachment.label, kind, file_size(os.path.getsize(path)))
