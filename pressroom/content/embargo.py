"""Embargoed preview links: a release given to journalists before its embargo lifts.

``invoke lien-embargo FICHIER`` writes a ``Preview-Token:`` (``secrets.token_urlsafe``, 192
random bits) into the article's header and prints the secret address ``/apercu/<token>/``. Until
the article's date, the build writes the release there only, under the banner « Sous embargo
jusqu'au … » and ``noindex``; it stays out of every listing, feed, sitemap, search index,
calendar and alert, since Pelican keeps a future-dated article among its drafts. Once the date
has passed, the secret address becomes a redirect to the public one. ``--revoke`` writes a new
token: the old address is gone at the next publication (the output folder is written anew).
"""

import dataclasses
import datetime
import os
import secrets
import sys
import zoneinfo

from pressroom.content import frdates, images, kinds, schema
from pressroom.content.header import UnreadableFile, read_header, read_text
from pressroom.settings import setting

TOKEN_BYTES = 24  # 192 random bits, 32 characters (lint asks for 22 at least: kinds.TOKEN_MIN_LENGTH)
FIELD = schema.field("Preview-Token")
token_problem = kinds.token_problem


class EmbargoError(Exception):
    """Why no link can be given: a French sentence."""


@dataclasses.dataclass(frozen=True)
class PreviewPhoto:
    """The lead photo of an embargoed release, written under its secret address only."""

    url: str  # apercu/<token>/photo.jpg
    source: str  # the variant in the photo cache: JPEG, without metadata
    width: int
    height: int
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclasses.dataclass(frozen=True)
class EmbargoPreview:
    """What the secret page needs: its token, the end of the embargo in French, its photo."""

    token: str
    until: str  # « mardi 8 octobre 2024 à 10 h 30 »
    url: str
    save_as: str
    photo: PreviewPhoto = None


def with_photo(preview, article, settings):
    """The preview with the widest JPEG variant of the article's photo (made in the photo cache,
    never copied to the photos' public folder), or the preview as it is when it has none."""
    fields = schema.fields_of(article)
    relative = fields.image
    if not relative:
        return preview
    made = images.make(os.path.join(settings["PATH"], relative), images.cache_folder(settings))
    variants = [name for name in made.sizes if name.endswith(".jpg") and name.split(".")[0].isdigit()]
    name = max(variants, key=lambda variant: int(variant.split(".")[0]))
    width, height = made.sizes[name]
    photo = PreviewPhoto(
        preview.url + "photo.jpg",
        os.path.join(made.folder, name),
        width,
        height,
        alt=fields.image_alt,
        caption=fields.image_caption,
        credit=fields.image_credit,
    )
    return dataclasses.replace(preview, photo=photo)


def until_text(moment):
    """« mardi 8 octobre 2024 à 10 h 30 », or the day alone at midnight."""
    text = frdates.long_date(moment)
    return text if moment.time() == datetime.time() else f"{text} à {moment:%H} h {moment:%M}"


def preview_of(article, settings):
    """The EmbargoPreview of an article kept back by its date that has a Preview-Token, else None."""
    fields = schema.fields_of(article)
    token = fields.preview_token
    if not token or article.status != "draft" or fields.status == "draft":
        return None
    url = setting(settings, "EMBARGO_PREVIEW_URL").format(token=token)
    return EmbargoPreview(token, until_text(article.date), url, url + "index.html")


def lifted_address(article, settings):
    """The secret address's save_as of a published article that still names its token, else None."""
    token = schema.fields_of(article).preview_token
    if not token or token_problem(token):
        return None
    return setting(settings, "EMBARGO_PREVIEW_URL").format(token=token) + "index.html"


# --- invoke lien-embargo -------------------------------------------------------------------


def with_token(text, token):
    """The article's text with ``Preview-Token: token`` in its header (replacing the line if any)."""
    lines = text.split("\n")
    end = next((number for number, line in enumerate(lines) if not line.strip()), len(lines))
    line = f"{FIELD.name}: {token}"
    for number in range(end):
        if lines[number].split(":", 1)[0].strip().lower() == FIELD.key:
            lines[number] = line
            return "\n".join(lines)
    lines.insert(end, line)
    return "\n".join(lines)


def give_link(path, now, revoke=False):
    """The token of the embargoed article at ``path``, written into its header when new or revoked."""
    header = read_header(path)
    if schema.status_of(header) == "draft":
        raise EmbargoError("c'est un brouillon : retirez « Status: draft » avant de donner un lien sous embargo")
    date = header.first("date")
    try:
        moment = kinds.read_date(date.value) if date else None
    except ValueError:
        moment = None
    if moment is None:
        raise EmbargoError("date de publication absente ou illisible : corrigez « Date: » (invoke lint)")
    if moment.replace(tzinfo=None) <= now:
        raise EmbargoError("cet article est déjà public : donnez son adresse publique")
    written = header.first(FIELD.key)
    if written and written.value.strip() and not revoke and not token_problem(written.value.strip()):
        return written.value.strip(), False
    token = secrets.token_urlsafe(TOKEN_BYTES)
    partial = f"{path}.partiel"  # replaced in one step: an interrupted run leaves the article whole
    with open(partial, "w", encoding="utf-8", newline="") as out:
        out.write(with_token(read_text(path), token))
    os.replace(partial, path)
    return token, True


def run(path, settings, revoke=False, out=sys.stdout, err=sys.stderr):
    """`invoke lien-embargo`: print the secret address of the article at ``path``; 0, or 2 with why not."""
    now = datetime.datetime.now(zoneinfo.ZoneInfo(setting(settings, "TIMEZONE"))).replace(tzinfo=None)
    try:
        token, written = give_link(path, now, revoke=revoke)
    except FileNotFoundError:
        print(f"{path}: fichier introuvable — vérifiez le chemin (content/articles/AAAA/nom.md)", file=err)
        return 2
    except UnreadableFile as error:
        print(f"{path}: {error} — enregistrez-le en UTF-8", file=err)
        return 2
    except OSError as error:
        print(f"{path}: fichier illisible ({error.strerror})", file=err)
        return 2
    except EmbargoError as error:
        print(f"{path}: pas de lien sous embargo : {error}", file=err)
        return 2
    address = "/" + setting(settings, "EMBARGO_PREVIEW_URL").format(token=token)
    if written:
        print(f"{path}: jeton {'changé' if revoke else 'écrit'} dans l'en-tête (Preview-Token).", file=out)
    print(f"Lien sous embargo, à donner aux journalistes : {address}", file=out)
    print(
        "Il sera en ligne à la prochaine publication, puis renverra vers la page publique à la levée de l'embargo.",
        file=out,
    )
    if revoke:
        print("L'ancienne adresse disparaîtra à la prochaine publication.", file=out)
    return 0
