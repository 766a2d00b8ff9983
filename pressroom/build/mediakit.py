"""Media kits: one ZIP per published release with a photo or attachments, for journalists.

The archive holds ``LISEZMOI.txt`` (title, date, permanent link, credits, captions, the list of
files), the lead photo's original without metadata (EXIF, GPS: the copy pressroom.content.images makes)
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

from pressroom.content import frdates, images, schema
from pressroom.content.text import file_size, plain_text
from pressroom.settings import setting

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


@dataclasses.dataclass(frozen=True)
class Member:
    name: str  # in the archive
    source: str  # the file it is read from
    described: tuple  # its lines in LISEZMOI.txt


def members(article, settings):
    """The photo's original without metadata, then the attachments, each under a name of its own."""
    found = []
    fields = schema.fields_of(article)
    relative = fields.image
    if relative and article.photo:
        made = images.make(os.path.join(settings["PATH"], relative), images.cache_folder(settings))
        stem = os.path.splitext(os.path.basename(relative))[0]
        name = f"photo-{stem}{os.path.splitext(made.original_name)[1]}"
        found.append(Member(name, os.path.join(made.folder, made.original_name), photo_lines(article.photo)))
    for attachment in fields.attachments:
        source = os.path.join(settings["PATH"], attachment.path)
        found.append(Member(os.path.basename(attachment.path), source, (attachment.label,)))
    return unique_names(found)


def photo_lines(photo):
    lines = ["photo originale, sans métadonnées"]
    lines += [f"  Légende : {photo.caption}"] if photo.caption else []
    lines += [f"  Description : {photo.alt}"] if photo.alt else []
    return (*lines, f"  Crédit : {photo.credit or 'non précisé'}")


def unique_names(found):
    """Two files of one name (attachments from two folders): the later ones get « 2-», « 3-»…"""
    seen, renamed = set(), []
    for member in found:
        name, rank = member.name, 1
        while name.lower() in seen:
            rank += 1
            name = f"{rank}-{member.name}"
        seen.add(name.lower())
        renamed.append(dataclasses.replace(member, name=name))
    return renamed


def readme(article, found):
    """The French LISEZMOI.txt: the release, then what each file is."""
    lines = [plain_text(article.title), "", f"Publié le {frdates.long_date(article.date)}", article.permalink, ""]
    for member in found:
        first, *more = member.described
        lines += [f"{member.name} : {first}", *more]
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
    found = members(article, settings)
    if not found:
        return None
    entries = [(README, readme(article, found))] + [(member.name, _read(member.source)) for member in found]
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
