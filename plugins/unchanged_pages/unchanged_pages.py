"""Unchanged pages: a rebuild with the content cache reuses the article pages
whose inputs did not change instead of rendering them again.

A page's fingerprint covers its article (every attribute the reader and the
plugins gave it, its content and summary with their links resolved), the
settings, the code that renders it (theme, plugins, ``pressroom``, installed
packages) and the context entries that the layout shows around it
(``UNCHANGED_PAGES_CONTEXT``: the pages of the menu). When the previous build
wrote the same file with the same fingerprint, its text is written again
as it was; any other page is rendered. Other contents an article refers to
(its institutions' article lists, its translations) count by their address
only: an article template that shows another article's title must add it to
``UNCHANGED_PAGES_CONTEXT``.

The previous output is moved aside before Pelican empties the output folder
(``DELETE_OUTPUT_DIRECTORY``) and removed at the end, so what this build does
not write never stays online: an article put back under embargo disappears
as before. Fingerprints are recorded only by a build that ends, so nothing is
reused from a failed one. A build without ``LOAD_CONTENT_CACHE`` (production,
``publishconf.py``) renders every page and records them for the next one.

Signals: ``article_generator_init`` moves the previous output aside and has
the article generator's templates go through this plugin; ``finalized``
records the fingerprints and removes the previous output.
"""

import dataclasses
import datetime
import hashlib
import io
import importlib.metadata
import json
import logging
import os
import pathlib
import pickle
import shutil
import types

from pelican import signals
from pelican.contents import Content
from pelican.urlwrappers import URLWrapper

import pressroom

__all__ = ["register"]

log = logging.getLogger(__name__)

DEFAULTS = {
    "UNCHANGED_PAGES": True,
    "UNCHANGED_PAGES_CONTEXT": ["pages"],
    "UNCHANGED_PAGES_RECORD": "unchanged_pages.json",
    # How the build runs, not what a page shows.
    "UNCHANGED_PAGES_IGNORED_SETTINGS": ["LOAD_CONTENT_CACHE", "CACHE_CONTENT", "CACHE_PATH", "WRITE_SELECTED",
                                         "DELETE_OUTPUT_DIRECTORY", "OUTPUT_RETENTION", "PARALLEL_READ_PROCESSES",
                                         "GZIP_COPIES", "GZIP_COPIES_PROCESSES", "SEARCH_INDEX"],
}

RUNNING = "_UNCHANGED_PAGES"

PLAIN = frozenset({str, int, float, bool, type(None), bytes, list, tuple, dict})


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


class Encoder:
    """Digests of what a page shows. Plain values (text, numbers, lists, dicts)
    are pickled as they are; another content counts by its address; any other
    object (a tag, an institution, an event) by a digest of its attributes,
    computed once per build however many articles share it."""

    def __init__(self):
        self.shared = {}

    def digest(self, value):
        buffer = io.BytesIO()
        _Pickler(buffer, self).dump(value)
        return hashlib.sha1(buffer.getvalue()).hexdigest()

    def reference(self, value):
        """What stands for a value that is not plain, in a digest."""
        if isinstance(value, Content):
            return "content", value.url
        if isinstance(value, str):  # Markup
            return "str", str(value)
        if isinstance(value, (datetime.date, datetime.time)):
            return "date", value.isoformat()
        if isinstance(value, (set, frozenset)):
            return "set", tuple(sorted(self.digest(item) for item in value))
        if isinstance(value, types.ModuleType):
            return "module", value.__name__
        if callable(value) and hasattr(value, "__qualname__"):
            return "function", f"{getattr(value, '__module__', '')}.{value.__qualname__}"
        key = id(value)
        if key not in self.shared:
            self.shared[key] = (value, self.digest([type(value).__qualname__, attributes(value)]))
        return "object", self.shared[key][1]

    def content(self, content, text=True):
        """A content in full: its source file's digest and the attributes that the plugins
        gave it, then (``text``) its text and summary with their links resolved as the page
        being rendered resolves them. Attributes still holding the reader's metadata values
        are already in the source's digest."""
        metadata = content.metadata
        fields = {key: value for key, value in vars(content).items()
                  if not key.startswith("_") and key not in ("settings", "metadata")
                  and not (key in metadata and value is metadata[key])}
        parts = [source_digest(content.source_path), fields]
        if text:
            parts += [content.get_content(content.get_siteurl()), content.summary]
        return self.digest(parts)


class _Pickler(pickle.Pickler):
    def __init__(self, file, encoder):
        super().__init__(file, protocol=5)
        self.encoder = encoder

    def persistent_id(self, value):
        if type(value) in PLAIN:
            return None
        return self.encoder.reference(value)


def attributes(value):
    if isinstance(value, URLWrapper):
        return [str(value), value.slug, value.url]
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    elif hasattr(value, "__dict__"):
        fields = vars(value)
    else:
        text = repr(value)
        return "" if " at 0x" in text else text
    return {k: v for k, v in fields.items() if not k.startswith("_") and k != "settings"}


def source_digest(path):
    try:
        with open(path, "rb") as source:
            return hashlib.md5(source.read()).hexdigest()
    except (OSError, TypeError):  # a content made by a plugin, with no source file
        return None


def code_files(settings):
    """The files that render a page: the theme, the plugin folders and the pressroom package."""
    folders = [settings["THEME"], pathlib.Path(pressroom.__file__).parent] + list(settings["PLUGIN_PATHS"])
    for folder in folders:
        for path in sorted(pathlib.Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def site_fingerprint(settings, context, encoder):
    """Everything that every page depends on: settings, code, packages, the menu."""
    ignored = set(get_setting(settings, "UNCHANGED_PAGES_IGNORED_SETTINGS"))
    parts = [
        {k: v for k, v in sorted(settings.items()) if not k.startswith("_") and k not in ignored},
        [[str(path), hashlib.sha1(path.read_bytes()).hexdigest()] for path in code_files(settings)],
        sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()),
    ]
    for name in get_setting(settings, "UNCHANGED_PAGES_CONTEXT"):
        parts.append([encoder.content(entry, text=False) for entry in context.get(name) or []])
    return encoder.digest(parts)


class UnchangedPages:
    """The reuse of one build: the previous build's fingerprints and output, and this one's."""

    def __init__(self, settings, context):
        self.settings, self.context = settings, context
        self.output_path = settings["OUTPUT_PATH"]
        self.record = os.path.join(settings["CACHE_PATH"], get_setting(settings, "UNCHANGED_PAGES_RECORD"))
        self.previous = self.take_record() if settings["LOAD_CONTENT_CACHE"] else {}
        self.previous_output = self.move_output_aside()
        self.fingerprints, self.reused = {}, 0
        self.encoder, self.site = Encoder(), None

    def take_record(self):
        """The previous build's fingerprints; the file goes, so that a build that fails
        after writing some pages leaves nothing to reuse."""
        try:
            with open(self.record, encoding="utf-8") as record:
                fingerprints = json.load(record)
            os.remove(self.record)
        except (OSError, ValueError):
            return {}
        return fingerprints

    def move_output_aside(self):
        """The previous output, moved next to the output folder (the same file system) before
        Pelican empties it; OUTPUT_RETENTION's entries go back. Only where Pelican empties it."""
        output = os.path.realpath(self.output_path)
        if not self.settings["DELETE_OUTPUT_DIRECTORY"]:
            return output
        aside = output + ".precedente"
        shutil.rmtree(aside, ignore_errors=True)  # left by a build that stopped
        content = os.path.realpath(self.settings["PATH"])
        if not self.previous or not os.path.isdir(output) or os.path.commonpath([output, content]) == output:
            return None
        os.rename(output, aside)
        os.mkdir(output)
        for name in self.settings["OUTPUT_RETENTION"]:
            if os.path.exists(os.path.join(aside, name)):
                os.rename(os.path.join(aside, name), os.path.join(output, name))
        return aside

    def fingerprint(self, article, localcontext):
        if self.site is None:
            self.site = site_fingerprint(self.settings, self.context, self.encoder)
        return self.encoder.digest([self.site, localcontext["output_file"], localcontext["SITEURL"],
                                    self.encoder.content(article)])

    def previous_text(self, name, fingerprint):
        if self.previous_output is None or self.previous.get(name) != fingerprint:
            return None
        try:
            with open(os.path.join(self.previous_output, name), encoding="utf-8") as page:
                return page.read()
        except OSError:
            return None

    def render(self, name, template, localcontext):
        """The page's text: the previous build's when its fingerprint is the same, else rendered.
        Only the article's own template counts (not, say, a search record of the article)."""
        article = localcontext.get("article")
        if article is None or getattr(article, "template", None) != name:
            return template.render(localcontext)
        output = localcontext["output_file"]
        fingerprint = self.fingerprints[output] = self.fingerprint(article, localcontext)
        text = self.previous_text(output, fingerprint)
        if text is None:
            return template.render(localcontext)
        self.reused += 1
        return text

    def finish(self):
        os.makedirs(os.path.dirname(self.record), exist_ok=True)
        with open(self.record, "w", encoding="utf-8") as record:
            json.dump(self.fingerprints, record)
        if self.previous_output and self.previous_output != os.path.realpath(self.output_path):
            shutil.rmtree(self.previous_output, ignore_errors=True)
        if self.fingerprints:
            log.info("Pages d'articles reprises de la construction précédente : %d sur %d",
                     self.reused, len(self.fingerprints))


class ReusingTemplate:
    """A template of the article generator, whose article pages may be reused."""

    def __init__(self, name, template, pages):
        self.name, self.template, self.pages = name, template, pages

    def render(self, localcontext):
        return self.pages.render(self.name, self.template, localcontext)

    def __getattr__(self, name):
        return getattr(self.template, name)


def reuse_article_pages(generator):
    settings = generator.settings
    if not (get_setting(settings, "UNCHANGED_PAGES") and settings["CACHE_CONTENT"]):
        return
    pages = settings[RUNNING] = UnchangedPages(settings, generator.context)
    get_template, wrapped = generator.get_template, {}

    def get_reusing_template(name):
        if name not in wrapped:
            wrapped[name] = ReusingTemplate(name, get_template(name), pages)
        return wrapped[name]

    generator.get_template = get_reusing_template


def finish(pelican):
    pages = pelican.settings.pop(RUNNING, None)
    if pages is not None:
        pages.finish()


def register():
    signals.article_generator_init.connect(reuse_article_pages)
    signals.finalized.connect(finish)
