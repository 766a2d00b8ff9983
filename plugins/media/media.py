"""Media: the photo of each article made ready for phones and for sharing
(``pressroom.images``), and no file of an unpublished article in the output.

Signals: the pipeline's ``media`` stage (before ``sharing``, which turns
``share_image`` into ``og:image``) makes the variants of the ``Image`` of every
written article into the cache, gives it ``photo`` and ``share_image`` (the
registry logo of its first institution that has one for an article without
a photo, else the site's own image), writes the source photo at its
address from its copy without metadata (instead of Pelican's copy), and takes out of Pelican's static
files those that only drafts or embargoed articles use; ``get_generators``
adds the generator that copies the variants to the output.
"""

import os
import re

from pelican import signals
from pelican.generators import Generator, StaticGenerator

from pressroom import files, images, pipeline, schema
from pressroom.output import copy_output
from pressroom.problems import ContentError, problem_at
from pressroom.settings import registry_path, setting

__all__ = ["register"]

MADE = "_media_made"  # context key: output folder -> images.Made, for the generator
LOGOS = "_media_logos"  # context key: a logo's sharing image address -> its cached file
STRIPPED = "_media_stripped"  # context key: a source photo's address -> its copy without metadata


def cache_folder(settings):
    return os.path.join(settings["CACHE_PATH"], "photos")


def source_of(content, settings):
    relative = schema.image_path(content.metadata.get("image"))
    return (relative, os.path.join(settings["PATH"], relative)) if relative else (None, None)


def written(generators):
    """The articles and pages that get a page of their own (a preview's drafts included)."""
    return [content for content in pipeline.contents(generators, drafts=False) if content.save_as]


def attach_photos(generators):
    settings = generators[0].settings
    made_for = {}  # output folder -> Made
    made_by_source, problems = {}, []
    for content in written(generators):
        attach_attachments(content, settings)
        lazy_body_images(content, settings, made_by_source)
        relative, source = source_of(content, settings)
        if not relative:
            continue
        found = images.image_problem(source)
        if found:
            problems.append(
                problem_at(content.source_path, "Image", f"{found[0]} « {relative} »", found[1], settings["PATH"])
            )
            continue
        made = made_by_source.get(source) or images.make(source, cache_folder(settings))
        made_by_source[source] = made
        folder = f"{setting(settings, 'MEDIA_PHOTOS_URL').rstrip('/')}/{os.path.basename(made.folder)}"
        made_for[folder] = made
        content.photo = images.photo(
            made,
            folder,
            alt=str(content.metadata.get("image-alt") or ""),
            caption=str(content.metadata.get("image-caption") or ""),
            credit=str(content.metadata.get("image-credit") or ""),
        )
        content.share_image = content.photo.share.url
    if problems:
        raise ContentError(problems)
    default = setting(settings, "MEDIA_SITE_SHARE_IMAGE")
    logos = {}  # output path -> cached sharing image of a logo
    for content in written(generators):
        content.share_image = content.share_image or logo_share(content, settings, logos) or default
    generators[0].context[LOGOS] = logos
    generators[0].context[MADE] = made_for
    publish_originals_without_metadata(generators, made_by_source)
    leave_out_unpublished_files(generators, settings)


BODY_IMAGE = re.compile(
    r"<img\b[^>]*\bsrc=(?P<quote>[\"'])(?:\{static\}|\|static\|)/?(?P<path>images/[^\"'>]+)(?P=quote)[^>]*>"
)


def lazy_body_images(content, settings, made_by_source):
    """Photos inside the body: loaded only when scrolled to, with their size (no jump while the page
    loads), and published without their metadata like the lead photo."""
    body = getattr(content, "_content", None)
    if not body or "<img" not in body:
        return

    def rewrite(match):
        tag, source = match.group(0), os.path.join(settings["PATH"], match.group("path"))
        if images.image_problem(source) or "loading=" in tag:
            return tag  # Pelican reports a missing {static} file itself
        made = made_by_source.get(source) or images.make(source, cache_folder(settings))
        made_by_source[source] = made
        width, height = made.sizes[made.original_name]
        return tag[:-1].rstrip("/ ") + f' width="{width}" height="{height}" loading="lazy" decoding="async">'

    content._content = BODY_IMAGE.sub(rewrite, body)


def attach_attachments(content, settings):
    """The attachments of a written article; a missing file fails the build (lint said it first)."""
    content.attachments = []
    for attachment in schema.attachments(content.metadata.get("attachments")):
        if not os.path.isfile(os.path.join(settings["PATH"], attachment.path)):
            raise ContentError(
                [
                    problem_at(
                        content.source_path,
                        "Attachments",
                        f"fichier introuvable « {attachment.path} »",
                        "placez le fichier dans content/fichiers/",
                        settings["PATH"],
                    )
                ]
            )
        content.attachments.append(files.download(attachment, settings["PATH"]))


def logo_share(content, settings, logos):
    """The sharing image made from the registry logo of the article's first institution that has one."""
    for institution in getattr(content, "institutions", []):
        relative = schema.image_path(getattr(institution, "logo", ""))
        if not relative:
            continue
        source = os.path.join(settings["PATH"], relative)
        found = images.image_problem(source)
        if found:
            raise ContentError(
                [
                    problem_at(
                        registry_path(settings), f"{institution.acronym}: logo", f"{found[0]} « {relative} »", found[1]
                    )
                ]
            )
        url = f"{setting(settings, 'MEDIA_PHOTOS_URL').rstrip('/')}/logos/{institution.slug}.jpg"
        logos[url] = images.logo_share_image(source, cache_folder(settings))
        return url
    return ""


def static_generators(generators):
    return [g for g in generators if isinstance(g, StaticGenerator)]


def publish_originals_without_metadata(generators, made_by_source):
    """Pelican copies content/images/ as it is: a source photo is taken out of its copies and
    written at the same address from its version without EXIF or GPS position (by MediaGenerator)."""
    stripped = {os.path.normpath(s): os.path.join(m.folder, m.original_name) for s, m in made_by_source.items()}
    replaced = {}
    for generator in static_generators(generators):
        statics = generator.context.get("staticfiles", [])
        for static in list(statics):
            source = os.path.normpath(os.path.join(generator.path, static.source_path))
            if source in stripped:
                replaced[static.save_as] = stripped[source]
                statics.remove(static)
    generators[0].context[STRIPPED] = replaced


def files_of(content, settings):
    """Every file of the content folder that an article's header names (photo, attachments)."""
    found = set()
    relative, source = source_of(content, settings)
    if relative:
        found.add(os.path.normpath(source))
    for attachment in schema.attachments(content.metadata.get("attachments")):
        found.add(os.path.normpath(os.path.join(settings["PATH"], attachment.path)))
    return found


def leave_out_unpublished_files(generators, settings):
    """A file that only drafts or embargoed articles name is not copied: it would be public before them."""
    published = set().union(*(files_of(c, settings) for c in written(generators)))
    every = set().union(*(files_of(c, settings) for c in pipeline.contents(generators)))
    private = every - published
    if not private:
        return
    for generator in static_generators(generators):
        statics = generator.context.get("staticfiles", [])
        statics[:] = [
            s for s in statics if os.path.normpath(os.path.join(generator.path, s.source_path)) not in private
        ]


class MediaGenerator(Generator):
    """Copies the photos' variants from the cache, and the site's sharing image."""

    def generate_output(self, writer):
        for folder, made in self.context.get(MADE, {}).items():
            images.copy_made(made, os.path.join(self.output_path, folder))
        for save_as, stripped in {**self.context.get(STRIPPED, {}), **self.context.get(LOGOS, {})}.items():
            copy_output(stripped, os.path.join(self.output_path, save_as))
        site_image = images.site_share_image(cache_folder(self.settings), self.settings["SITENAME"])
        copy_output(site_image, os.path.join(self.output_path, setting(self.settings, "MEDIA_SITE_SHARE_IMAGE")))


def get_generators(pelican):
    return MediaGenerator


def register():
    pipeline.connect("media", attach_photos)
    signals.get_generators.connect(get_generators)
