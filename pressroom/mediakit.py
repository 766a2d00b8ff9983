"""Media kits: one ZIP per published release with a photo or attachments, for journalists.

The archive holds ``LISEZMOI.txt`` (title, date, permanent link, credits, captions, the list of
files), the lead photo's original without metadata (EXIF, GPS: the copy pressroom.images makes)
and the attachments, in that order. It is deterministic: the same inputs give the same bytes
(fixed timestamps, permissions and order; text compressed, already compressed files stored), and
it is kept in the cache under the digest of what it holds, so an unchanged kit is not made again.
Only releases published for good get one: never a draft's, an embargoed one's or a preview's.
"""

import dataclasses
import hashlib
import io
import os
import zipfile

from . import frdates, images, schema
from .settings import setting
from .text import file_size, plain_text

VERSION = "1"  # change it when the archive's making changes: every cached kit is made anew
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time ZIP can hold: no build's clock in the bytes
STORED = (".jpg", ".jpeg", ".png", ".webp", ".pdf", ".zip", ".docx", ".xlsx", ".odt")
README = "LISEZMOI.txt"


@dataclasses.dataclass(frozen=True)
class MediaKit:
    url: str  # relative to the site root
    path: str  # the archive in the cache
    size: str  # « 4,2 Mo »
    names: tuple  # the files inside, in order

    @property
    def label(self):
        return f"ZIP, {self.size}"


def members(article, settings):
    """(name in the archive, source file) of the photo's original without metadata and the attachments."""
    found = []
    relative = schema.image_path(article.metadata.get("image"))
    if relative and article.photo:
        made = images.make(os.path.join(settings["PATH"], relative), images.photos_cache(settings))
        stem = os.path.splitext(os.path.basename(relative))[0]
        extension = os.path.splitext(made.original_name)[1]
        found.append((f"photo-{stem}{extension}", os.path.join(made.folder, made.original_name)))
    for attachment in schema.attachments(article.metadata.get("attachments")):
        found.append((os.path.basename(attachment.path), os.path.join(settings["PATH"], attachment.path)))
    return found


def readme(article, names):
    """The French LISEZMOI.txt: what the kit is and what each file is."""
    lines = [plain_text(article.title), "", f"Publié le {frdates.long_date(article.date)}", article.permalink, ""]
    labels = {os.path.basename(a.path): a.label for a in schema.attachments(article.metadata.get("attachments"))}
    photo = article.photo
    for name in names:
        if name in labels:
            lines.append(f"{name} : {labels[name]}")
        else:
            lines.append(f"{name} : photo originale, sans métadonnées")
            if photo.caption:
                lines.append(f"  Légende : {photo.caption}")
            if photo.alt:
                lines.append(f"  Description : {photo.alt}")
            lines.append(f"  Crédit : {photo.credit or 'non précisé'}")
    lines += ["", "Citez le crédit indiqué pour chaque photo."]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def archive_bytes(entries):
    """A ZIP of (name, bytes) in the order given, the same bytes for the same entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the building machine
            stored = name.lower().endswith(STORED)
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=None if stored else 9)
    return buffer.getvalue()


def media_kit(article, settings):
    """The MediaKit of a published release with a photo or attachments, made or found in the cache; else None."""
    sources = members(article, settings)
    if not sources:
        return None
    names = [name for name, _ in sources]
    entries = [(README, readme(article, names))] + [(name, _read(path)) for name, path in sources]
    digest = hashlib.sha256(VERSION.encode())
    for name, data in entries:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    path = os.path.join(settings["CACHE_PATH"], "dossiers", digest.hexdigest() + ".zip")
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = path + ".partiel"
        with open(partial, "wb") as out:
            out.write(archive_bytes(entries))
        os.replace(partial, path)
    url = setting(settings, "MEDIA_KIT_SAVE_AS").format(url=article.url, slug=article.slug)
    return MediaKit(url, path, file_size(os.path.getsize(path)), tuple(name for name, _ in entries))


def _read(path):
    with open(path, "rb") as source:
        return source.read()
