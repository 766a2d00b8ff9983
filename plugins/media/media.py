"""Media: the photos of each article made ready for phones and for sharing
(``pressroom.content.images``), and no file in the output that no published content names.

Signals: the pipeline's ``media`` stage (before ``sharing``, which turns
``share_image`` into ``og:image``)

1. checks every file that a content names, in its header or its body
   (``pressroom.content.statics``): a published or embargoed content naming a file that
   may not be published fails the build, a draft's is a warning;
2. makes the variants of the ``Image`` of every written content into the cache and
   gives it ``photo`` and ``share_image`` (the registry logo of its first
   institution that has one for a content without a photo, else the site's own
   image); each photo of a body becomes a ``<picture>`` of the same variants;
3. cuts Pelican's static files down to those a written content names (drafts' and
   embargoed articles' files stay out until they are published), and writes each
   photo among them at its address from its re-encoding without metadata.

``get_generators`` adds the generator that writes the variants, the clean
photos and the sharing images to the output, through ``pressroom.build.output``.
"""

import html
import logging
import os
import re

from pelican import signals
from pelican.generators import Generator, StaticGenerator
from pelican.utils import get_relative_path

from pressroom.build import engine, output, pipeline
from pressroom.content import files, images, kinds, schema, statics
from pressroom.content.problems import ContentError, problem_at
from pressroom.settings import registry_path, setting

__all__ = ["register"]

logger = logging.getLogger(__name__)

MADE = "_media_made"  # context key: output folder -> images.Made, for the generator
LOGOS = "_media_logos"  # context key: a logo's sharing image address -> its cached file
CLEANED = "_media_cleaned"  # context key: [(Static or None, source path, its copy without metadata)]
BODY_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"  # as the lead photo (includes/photo.html)


def written(generators):
    """The articles and pages that get a page of their own (a preview's drafts included)."""
    return [content for content in pipeline.contents(generators, drafts=False) if content.save_as]


class Photos:
    """The photos made during one build, by source file and by output folder."""

    def __init__(self, settings):
        self.settings = settings
        self.by_source = {}  # path relative to the content folder -> images.Made
        self.folders = {}  # output folder -> images.Made

    def made(self, relative):
        if relative not in self.by_source:
            made = images.make(os.path.join(self.settings["PATH"], relative), images.cache_folder(self.settings))
            self.by_source[relative] = made
            self.folders[self.url_folder(made)] = made
        return self.by_source[relative]

    def url_folder(self, made):
        return f"{setting(self.settings, 'MEDIA_PHOTOS_URL').rstrip('/')}/{os.path.basename(made.folder)}"


def attach_media(generators):
    settings = generators[0].settings
    check_named_files(generators)
    photos = Photos(settings)
    for content in written(generators):
        attachments = schema.fields_of(content).attachments
        content.attachments = [files.download(attachment, settings["PATH"]) for attachment in attachments]
        attach_lead_photo(content, photos)
        responsive_body_photos(content, photos)
    default = setting(settings, "MEDIA_SITE_SHARE_IMAGE")
    logos = {}  # output path -> cached sharing image of a logo
    for content in written(generators):
        content.share_image = content.share_image or logo_share(content, settings, logos) or default
    publish_only_named_files(generators, photos)
    remember(generators, LOGOS, logos)
    remember(generators, MADE, photos.folders)


def is_draft(content):
    return schema.fields_of(content).status == "draft"


def check_named_files(generators):
    """Every file named by a content that is written or waits for its embargo must be publishable;
    a draft's problems are warnings (it is not published)."""
    settings, problems = generators[0].settings, []
    for content in pipeline.contents(generators):
        found = statics.named_problems(content, settings)
        if content.save_as or not is_draft(content):
            problems += found
        else:
            for problem in found:
                logger.warning("Brouillon : %s", problem)
    if problems:
        raise ContentError(problems)


def attach_lead_photo(content, photos):
    fields = schema.fields_of(content)
    if not fields.image:
        return
    made = photos.made(fields.image)
    content.photo = images.photo(
        made,
        photos.url_folder(made),
        alt=fields.image_alt,
        caption=fields.image_caption,
        credit=fields.image_credit,
    )
    content.share_image = content.photo.share.url


IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
SRC = re.compile(r"""\ssrc\s*=\s*(?P<quote>["'])(?P<value>.*?)(?P=quote)""", re.I | re.S)
OURS = re.compile(r"""\s(?:srcset|sizes|width|height|loading|decoding)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def site_prefix(content, settings):
    """What the variants' addresses start with on the page of ``content``, as Pelican writes its links."""
    if settings.get("RELATIVE_URLS"):
        return get_relative_path(content.save_as)
    return settings.get("SITEURL", "")


def responsive_body_photos(content, photos):
    """Each photo of the body becomes a ``<picture>`` of its variants (WebP, JPEG), sized, loaded when
    scrolled to; its ``src`` is the photo at its own address, re-encoded without metadata."""
    body = engine.body_html(content)
    if not body or "<img" not in body.lower():
        return
    settings = photos.settings
    prefix = site_prefix(content, settings)

    def rewrite(match):
        tag = match.group(0)
        src = SRC.search(tag)
        value = html.unescape(src.group("value")).strip() if src else ""
        relative = statics.linked_path(value, content.relative_dir, settings.get("SITEURL", ""))
        if not relative or not relative.startswith(f"{statics.PHOTOS_FOLDER}/"):
            return tag
        made = photos.made(relative)
        return picture(tag, src, relative, images.photo(made, photos.url_folder(made)), prefix)

    engine.replace_body_html(content, IMG_TAG.sub(rewrite, body))


def picture(tag, src, relative, photo, prefix):
    def srcset(variants):
        return ", ".join(f"{prefix}/{v.url} {v.width}w" for v in variants)

    img = OURS.sub("", tag[: src.start()] + f' src="{{static}}/{relative}"' + tag[src.end() :])
    img = img[:-1].rstrip("/ ") + (
        f' srcset="{srcset(photo.jpeg)}" sizes="{BODY_SIZES}" width="{photo.largest.width}"'
        f' height="{photo.largest.height}" loading="lazy" decoding="async">'
    )
    return f'<picture><source type="image/webp" srcset="{srcset(photo.webp)}" sizes="{BODY_SIZES}">{img}</picture>'


def logo_share(content, settings, logos):
    """The sharing image made from the registry logo of the article's first institution that has one."""
    for institution in getattr(content, "institutions", []):
        relative = kinds.image_path(getattr(institution, "logo", ""))
        if not relative:
            continue
        source = os.path.join(settings["PATH"], relative)
        found = images.image_problem(source, setting(settings, "MEDIA_MAX_PIXELS"), images.cache_folder(settings))
        if found:
            raise ContentError(
                [
                    problem_at(
                        registry_path(settings), f"{institution.acronym}: logo", f"{found[0]} « {relative} »", found[1]
                    )
                ]
            )
        url = f"{setting(settings, 'MEDIA_PHOTOS_URL').rstrip('/')}/logos/{institution.slug}.jpg"
        logos[url] = images.logo_share_image(source, images.cache_folder(settings))
        return url
    return ""


def static_generators(generators):
    return [g for g in generators if isinstance(g, StaticGenerator)]


def relative_source(static):
    return static.get_relative_source_path().replace(os.sep, "/")


def publish_only_named_files(generators, photos):
    """Pelican's static files cut down to those a written content names, from our two folders;
    every photo among them is written at its address from its re-encoding without metadata
    (EXIF, GPS position) rather than copied. In a preview's partial run (some contents only),
    the static files of the others are left as they are."""
    settings, context = generators[0].settings, generators[0].context
    named = set()
    for content in written(generators):
        named |= statics.named_paths(content, settings.get("SITEURL", ""))
    for relative in sorted(named):
        if relative.startswith(f"{statics.PHOTOS_FOLDER}/"):
            photos.made(relative)
    partial = pipeline.is_partial(generators)
    for generator in static_generators(generators):
        files_found = generator.context.get("staticfiles", [])
        files_found[:] = [
            static
            for static in files_found
            if relative_source(static) not in photos.by_source
            and (partial or (relative_source(static) in named and statics.in_folders(relative_source(static))))
        ]
    found = context.get("static_content", {})
    cleaned = [
        (found.get(relative.replace("/", os.sep)), relative, os.path.join(made.folder, made.original_name))
        for relative, made in photos.by_source.items()
    ]
    remember(generators, CLEANED, cleaned)


def remember(generators, key, values):
    """Store what the generator writes: anew in a full build, added to in a preview's partial run."""
    context, partial = generators[0].context, pipeline.is_partial(generators)
    if partial and key in context:
        previous = context[key]
        context[key] = previous + values if isinstance(values, list) else {**previous, **values}
    else:
        context[key] = values


class MediaGenerator(Generator):
    """Writes the photos' variants from the cache, the photos without metadata at their own
    addresses, and the sharing images."""

    def generate_output(self, writer):
        for folder, made in self.context.get(MADE, {}).items():
            output.copy_made_photo(made, self.output_path, folder)
        for static, relative, cleaned in self.context.get(CLEANED, []):
            save_as = static.save_as if static is not None else relative  # after {attach} moved it
            output.copy_file_to_output(cleaned, self.output_path, save_as)
        for save_as, shared in self.context.get(LOGOS, {}).items():
            output.copy_file_to_output(shared, self.output_path, save_as)
        site_image = images.site_share_image(images.cache_folder(self.settings), self.settings["SITENAME"])
        output.copy_file_to_output(site_image, self.output_path, setting(self.settings, "MEDIA_SITE_SHARE_IMAGE"))


def get_generators(pelican):
    return MediaGenerator


def register():
    pipeline.connect("media", attach_media)
    signals.get_generators.connect(get_generators)
