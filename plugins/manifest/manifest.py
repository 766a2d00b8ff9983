"""Manifest: every file of the output and what wrote it, in ``OUTPUT_MANIFEST``
(``.manifeste.json`` in the output folder); a file that nothing declared, a file
two writers wrote, or a symbolic link fails the build, in French.

Every writer declares what it writes: Pelican's writer (``content_written``,
``feed_written``), our generators (``pressroom.build.output.written``: calendars,
sitemap, photos' variants, the search index, the editor), Pelican's copies of
static files (the static generator's ``staticfiles``, once the other plugins
have changed that list) and of the theme's files, and the ``.gz`` copy of a
text file (announced by the compressor once made). A file declared twice, even
by one writer, was overwritten.

The manifest is written in the output but never published: it names the source
files, and ``invoke publish`` sends exactly the files it lists, not itself.

Signals: ``initialized`` gives the build its Manifest (in the settings, which
Pelican copies into every context); ``static_generator_finalized`` keeps the
static generator; ``all_generators_finalized``, in a part of a split build
(``invoke build --annees``), puts in the settings who owns which file
(``pressroom.build.parts.Ownership``, which the writers read to skip what their
part does not own); ``pressroom.build.output.finished``, sent by the build's runner once
Pelican has returned (after every ``finalized``, ``compress`` and ``deploy``
receiver, whose order among themselves is none), checks the output, removes
from a part what it does not own, and writes the manifest (with, for a part,
what ``invoke fusion`` checks).
"""

import os

from pelican import signals

from pressroom.build import output, parts, pipeline
from pressroom.content.problems import ContentError, Problem
from pressroom.settings import setting

__all__ = ["register"]

RUNNING = "_OUTPUT_MANIFEST"
THEME = "thème du site"
PAGE = "page générée par le site"
FEED = "flux généré par le site"
GENERATED = "fichier généré par le site"
COMPRESSED = "copie compressée de {}"
UNDECLARED = "fichier écrit sans qu'aucune source ni aucun générateur le déclare"
NOT_LOADED_BY_PAGES = (".ics", ".xml", ".txt", ".json", ".atom", ".rss", ".html")  # calendars, sitemap, lists


class Manifest:
    """What one build declared it writes: output path (relative, with /) -> owners."""

    def __init__(self, settings):
        self.settings = settings
        self.output = os.path.join(os.path.abspath(settings["OUTPUT_PATH"]), "")
        self.owners = {}
        self.static_generators = []
        self.part = parts.of(settings)
        self.sources = ""

    @property
    def ownership(self):
        """A part's ``parts.Ownership``, kept in the settings for the writers too; None otherwise."""
        return self.settings.get(parts.RUNNING)

    def __reduce__(self):
        # Pelican pickles the settings with its content cache: a running build's manifest is not cached.
        return type(None), ()

    def declare(self, path, owner):
        path = os.path.abspath(path)
        if not path.startswith(self.output):
            return  # written elsewhere (the search records' staging folder)
        self.owners.setdefault(os.path.relpath(path, self.output).replace(os.sep, "/"), []).append(owner)

    def record_written(self, path, copy_of=None, rewrite=False):
        """A file written through pressroom.build.output; a rewrite of a file already declared (a finishing
        step of the same page, or of its .gz copy) keeps that file's one owner."""
        if rewrite and os.path.relpath(os.path.abspath(path), self.output).replace(os.sep, "/") in self.owners:
            return
        owner = COMPRESSED.format(os.path.relpath(copy_of, self.output)) if copy_of else GENERATED
        self.declare(path, owner.replace(os.sep, "/"))

    def source(self, path):
        return os.path.relpath(path, self.settings["PATH"]).replace(os.sep, "/")

    def declare_copies(self):
        """What Pelican copies without a signal: the static files, the theme's files."""
        for generator in self.static_generators:
            for static in generator.context.get("staticfiles", []):
                self.declare(os.path.join(self.output, static.save_as), static.relative_source_path)
        theme_folder = os.path.join(self.output, self.settings["THEME_STATIC_DIR"])
        for name in self.settings["THEME_STATIC_PATHS"]:
            source = os.path.join(self.settings["THEME"], name)
            if os.path.isfile(source):
                self.declare(os.path.join(theme_folder, os.path.basename(source)), THEME)
            for folder, _, names in os.walk(source):
                for file_name in names:
                    relative = os.path.relpath(os.path.join(folder, file_name), source)
                    self.declare(os.path.join(theme_folder, relative), THEME)

    def problems(self, found):
        """Files of the output nobody declared, symbolic links, and files two writers wrote."""
        problems = []
        for relative, is_link in sorted(found.items()):
            owners = self.owners.get(relative)
            if is_link:
                problems.append(output_problem(relative, "lien symbolique dans le site construit"))
            elif owners is None:
                problems.append(output_problem(relative, UNDECLARED))
            elif len(owners) > 1:
                first, *others = owners
                problems += [overwrite_problem(relative, owner, first) for owner in others]
        return problems

    def skip_not_owned(self, path, make):
        """``output.offered``: in a part, a file of another part is not made at all, unless a page
        may load it (its weight counts it): only the kinds no page loads are skipped."""
        if self.ownership is None or not path.endswith(NOT_LOADED_BY_PAGES):
            return False
        return not self.ownership.owned(os.path.relpath(path, self.output).replace(os.sep, "/"), self.part)

    def drop_not_owned(self, found):
        """A part of a split build: remove the files its part does not own (``parts``) from the
        output and from ``found``."""
        for relative in [r for r in found if not self.ownership.owned(r, self.part)]:
            os.remove(os.path.join(self.output, relative))
            del found[relative]
        for folder, subfolders, names in os.walk(self.output, topdown=False):
            if not subfolders and not names and folder.rstrip(os.sep) != self.output.rstrip(os.sep):
                os.rmdir(folder)

    def part_facts(self):
        """What ``invoke fusion`` checks before it merges this part with the others."""
        return {
            "nom": self.part.name,
            "annees": self.ownership.years,
            "annees_ecrites": [year for year in self.ownership.years if self.part.owns_year(year)],
            "sources": self.sources,
            "siteurl": self.settings.get("SITEURL", ""),
        }

    def entries(self, found):
        """Output path -> what wrote it, for every file of the output."""
        return {relative: self.owners[relative][0] for relative in sorted(found)}


def output_problem(relative, message):
    return Problem(
        f"site/{relative}",
        "fichier",
        message,
        "rien n'a été publié ; signalez-le à l'équipe technique",
    )


GENERATORS = (PAGE, FEED, GENERATED, THEME)


def overwrite_problem(relative, owner, first):
    """``owner`` wrote ``relative`` over ``first``'s file: the source to change is named first."""
    shown, other = (owner, first) if owner not in GENERATORS else (first, owner)
    return Problem(
        shown,
        "fichier",
        f"écrirait site/{relative}, déjà écrit par {other} : l'un écraserait l'autre",
        "renommez ou déplacez ce fichier, ou changez le Slug",
    )


def start(pelican):
    settings = pelican.settings
    if setting(settings, "OUTPUT_MANIFEST"):
        settings[RUNNING] = manifest = Manifest(settings)
        output.written.connect(manifest.record_written)  # weak: gone with this build's settings
        output.offered.connect(manifest.skip_not_owned)


def on_content_written(path, context):
    manifest = context.get(RUNNING)
    if manifest is not None:
        content = context.get("article") or context.get("page")
        source = getattr(content, "source_path", None)
        manifest.declare(path, manifest.source(source) if isinstance(source, str) else PAGE)


def on_feed_written(path, context, feed):
    manifest = context.get(RUNNING)
    if manifest is not None:
        manifest.declare(path, FEED)


def keep_static_generator(generator):
    manifest = generator.settings.get(RUNNING)
    if manifest is not None:
        manifest.static_generators.append(generator)


def keep_ownership(generators):
    """A part of a split build: who owns which file, from the articles that have a page."""
    settings = generators[0].settings
    manifest = settings.get(RUNNING)
    if manifest is not None and manifest.part is not parts.WHOLE:
        articles = [a for a in pipeline.articles(generators) if pipeline.has_output(a)]
        searched = {a.date.year for a in articles if pipeline.is_published(a)}
        if not setting(settings, "SEARCH_INDEX"):
            searched = ()
        settings[parts.RUNNING] = parts.Ownership(articles, settings, searched)
        manifest.sources = parts.sources_digest(settings, articles)


def check_and_write(settings):
    manifest = settings.pop(RUNNING, None)
    if manifest is None:
        return
    output.written.disconnect(manifest.record_written)
    output.offered.disconnect(manifest.skip_not_owned)
    manifest.declare_copies()
    name = setting(settings, "OUTPUT_MANIFEST")
    found = output.files_and_links(manifest.output)
    found.pop(name, None)
    problems = manifest.problems(found)
    if problems:
        raise ContentError(problems)
    listed = {"fichiers": manifest.entries(found)}
    if manifest.ownership is not None:
        manifest.drop_not_owned(found)
        listed = {"fichiers": manifest.entries(found), "partie": manifest.part_facts()}
    # announced to no one: the manifest is closed
    output.write_output(manifest.output, name, parts.manifest_text(listed))


def register():
    signals.initialized.connect(start)
    signals.content_written.connect(on_content_written)
    signals.feed_written.connect(on_feed_written)
    signals.static_generator_finalized.connect(keep_static_generator)
    signals.all_generators_finalized.connect(keep_ownership)
    output.finished.connect(check_and_write)
