"""Writing only what changed: the preview server's writer (pressroom.preview.live).

The generators call it as they call Pelican's writer, for every output. For
each output it keeps a fingerprint of what the template was given
(``Fingerprints``) and, between two updates, writes only the outputs whose
fingerprint changed. Pelican's own ``write_file`` still does the pagination and
makes each page's local context, with a template that records the page instead
of rendering it; the recorded pages are written afterwards, the most wanted
first (``Job.rank``). A whole call (a listing and all its pages, a feed) whose
inputs did not change is skipped before Pelican paginates it. The files of
``pressroom.build.output.write_output`` (sitemap, calendars, press kits) are
offered to it while it walks (``walking``): it makes them after the pages and
writes those whose bytes changed; the plugins that make them do not know it.

Assumptions, true of our theme: a paginated template shows its page's slice
(``articles_page``), not the whole list it is given; no template reads
``all_articles``; a page depends on the shared context only through what
changes with a full rebuild (settings, pages, registry).
"""

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import io
import itertools
import os

from markupsafe import Markup
from pelican.contents import Article, Content, Page
from pelican.paginator import Page as ListingPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError

from pressroom.build import engine, output, pipeline

NOT_SHOWN = frozenset({"all_articles"})  # Pelican passes it to listing pages; no template of ours reads it

# The rank of an output: the page of a changed article, a listing page that shows one, the rest.
OWN_PAGE, SHOWS_CHANGE, LATER = 0, 1, 2

TOKEN = "_preview_token"  # an article's token, kept on the article itself
SIMPLE_BASES = (str, bytes, int, float, type(None), datetime.date, datetime.time, datetime.timedelta)
SIMPLE = frozenset({*SIMPLE_BASES, bool, datetime.datetime, Markup})  # the exact types met most


class Fingerprints:
    """A comparable value for what a template is given.

    Articles and pages count by identity: the preview makes a new object for
    every source it reads again, so a token per object (never reused, unlike
    ``id``) says whether it changed. Lists and dicts count by their items; a
    listing page by its number, the number of pages and its slice; tags,
    categories and authors by name and slug; other objects (the plugins'
    institution pages, events, month pages) by their public attributes (a
    dataclass: the fields it compares), where a list of articles counts by its
    length only (an institution's article count) and an object of the same type
    (a month's previous and next) by its URL."""

    def __init__(self):
        self.counter = itertools.count()
        self.memo = {}
        self.content_types, self.list_types = {Article, Page}, set()
        self.names = {}  # type -> the dataclass fields that make its value (None: not a dataclass)

    def start_pass(self):
        self.memo = {}

    def token(self, content):
        token = content.__dict__.get(TOKEN)
        if token is None:
            token = content.__dict__[TOKEN] = next(self.counter)
        return token

    def shown_with(self, content):
        """The tokens of the other contents a content's page shows (pipeline.SHOWN_CONTENTS: its
        related releases), so that its page is written again when one of them changes."""
        return tuple(
            self.token(other) for name in pipeline.SHOWN_CONTENTS for other in content.__dict__.get(name) or ()
        )

    def of(self, value, nested=False):
        kind = type(value)
        if kind in SIMPLE:
            return value
        if kind in self.content_types or isinstance(value, Content):
            self.content_types.add(kind)
            return ("content", self.token(value), *self.shown_with(value))
        key = (id(value), nested)
        known = self.memo.get(key)
        if known is not None:
            return known[1]
        self.memo[key] = (value, ("cycle", kind.__qualname__))  # the value is kept: its id stays its own
        result = self._compute(value, kind, nested)
        self.memo[key] = (value, result)
        return result

    def _compute(self, value, kind, nested):
        if kind is list or kind is tuple or kind in self.list_types:
            if not value:
                return ()
            if all(type(item) in self.content_types for item in value):  # a listing: the most common
                return ("count", len(value)) if nested else ("contents", *[self.token(item) for item in value])
            if all(type(item) is tuple and all(type(part) in SIMPLE for part in item) for item in value):
                return ("values", *value)  # plain records (the sitemap's entries)
            return tuple([self.of(item, nested) for item in value])
        if isinstance(value, SIMPLE_BASES):
            return value
        if isinstance(value, ListingPage):
            return ("page", value.number, value.paginator.num_pages, self.of(value.object_list))
        if isinstance(value, Paginator):
            return ("paginator", value.num_pages)
        if isinstance(value, URLWrapper):
            return (kind.__qualname__, value.name, value.slug)
        if isinstance(value, (list, tuple)):
            self.list_types.add(kind)
            return self._compute(value, kind, nested)
        if isinstance(value, dict):
            return tuple([(self.of(k, True), self.of(v, nested)) for k, v in value.items()])
        if isinstance(value, (set, frozenset)):
            return ("set", tuple(sorted(repr(self.of(item, nested)) for item in value)))
        if callable(value) or not hasattr(value, "__dict__"):
            return ("other", repr(value))
        return self._attributes(value, kind)

    def _attributes(self, value, kind):
        """An object by its attributes: a dataclass by the fields it compares, others by their
        public attributes; an attribute of the object's own type (a month's previous and
        next) by its URL only."""
        names = self.names.get(kind)
        if names is None:
            names = self.names[kind] = (
                [field.name for field in dataclasses.fields(value) if field.compare]
                if dataclasses.is_dataclass(value)
                else None
            )
        items = (
            [(name, getattr(value, name)) for name in names]
            if names is not None
            else [(name, item) for name, item in vars(value).items() if name[0] != "_"]
        )
        parts = [kind.__qualname__]
        for name, item in items:
            item_kind = type(item)
            if item_kind in SIMPLE:
                parts += (name, item)
            elif item_kind is kind:
                parts += (name, getattr(item, "url", None))
            else:
                parts += (name, self.of(item, True))
        return tuple(parts)


@dataclasses.dataclass
class Job:
    """One output to write: its rank, its path, its fingerprint, the call it belongs to
    and how to write it."""

    rank: int
    path: str
    key: object
    call: str
    write: object


class _Recording:
    """The template handed to Pelican's writer: rendering only records the output."""

    def __init__(self, writer, template, context, shown, call):
        self.writer, self.template, self.context, self.shown, self.call = writer, template, context, shown, call
        self.name = template.name

    def render(self, localcontext):
        self.writer.record(self, localcontext)
        return ""


class _Nothing(io.StringIO):
    """What Pelican's writer writes a recorded page into."""


class SelectiveWriting:
    """Writer mixin, over the site's writer class (``selective_writer``).

    ``start_pass`` begins a walk of the generators' outputs; ``seen`` then holds
    every output path met, ``jobs`` the outputs to write. In a full pass every
    output is written at once; otherwise only those whose fingerprint changed,
    and they wait in ``jobs``. ``run(job)`` writes one and remembers it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fingerprints = Fingerprints()
        self.written = {}  # path -> fingerprint of what is on disk
        self.calls = {}  # call -> (fingerprint of its inputs, its output paths), once all are written
        self.article_pages = {}  # Article -> the call that writes its page
        self.seen, self.jobs, self.changed = set(), [], set()
        self.full = True
        self.writing_feed = False
        self.call_paths, self.call_keys = {}, {}
        self.file_digests = {}  # path -> digest of what is on disk, for the files of output.write_output

    def start_pass(self, full, changed=()):
        """Before the generators write: ``full`` for a full build; ``changed``: the new
        article objects, whose pages come first."""
        self.forget_written()
        self.fingerprints.start_pass()
        self.seen, self.jobs, self.call_paths, self.call_keys = set(), [], {}, {}
        self.full, self.changed = full, {id(content) for content in changed}
        if full:
            self.written, self.calls, self.article_pages, self.file_digests = {}, {}, {}, {}

    @contextlib.contextmanager
    def walking(self):
        """While the generators walk their outputs, the files written or offered outside the writer
        (``pressroom.build.output``) are this writer's: a preview replaced by a new one hears nothing."""
        with output.offered.connected_to(self.take_file), output.written.connected_to(self.note_written):
            yield

    def note_written(self, path, **_):
        """A file written by a plugin without the writer: part of this site if it is in its folder."""
        path = os.path.abspath(path)
        if path.startswith(os.path.join(os.path.abspath(self.output_path), "")):
            self.seen.add(path)

    def claim(self, path, call):
        if path in self.seen:
            raise FileOverwriteFailedError(f'Failed to overwrite "{path}": written twice by this build')
        self.seen.add(path)
        self.call_paths.setdefault(call, []).append(path)

    def add(self, job):
        if self.full:
            self.run(job)
        else:
            self.jobs.append(job)

    def run(self, job):
        """Write one output; False when it was a file left as it was (the same bytes)."""
        wrote = job.write()
        self.written[job.path] = job.key
        return wrote is not False

    def needs_writing(self, path, key):
        return self.full or self.written.get(path) != key

    def forget_outputs(self, paths):
        """Outputs removed from the disk: written again if they come back."""
        for path in paths:
            self.written.pop(path, None)

    def skip_call(self, call, key):
        """A call whose inputs did not change: its outputs stay as they are."""
        known = self.calls.get(call)
        if self.full or known is None or known[0] != key:
            return False
        for path in known[1]:
            self.claim(path, call)
        return True

    def end_pass(self):
        """Remember each call walked or carried, with its outputs; the others are gone."""
        self.calls = {
            call: (key, self.call_paths[call]) for call, key in self.call_keys.items() if call in self.call_paths
        }

    def forget(self, jobs):
        """Jobs that will not be written (a newer change came first): their calls are walked again."""
        for job in jobs:
            self.calls.pop(job.call, None)

    # -- pages

    def write_file(
        self,
        name,
        template,
        context,
        relative_urls=False,
        paginated=None,
        template_name=None,
        override_output=False,
        url=None,
        **kwargs,
    ):
        shown = frozenset(kwargs) - NOT_SHOWN
        call = f"page:{name}"
        key = (template.name, tuple((k, self.fingerprints.of(kwargs[k])) for k in sorted(shown)))
        self.call_keys[call] = key
        if self.skip_call(call, key):
            return
        recording = _Recording(self, template, context, shown, call)
        super().write_file(
            name, recording, context, relative_urls, paginated, template_name, override_output, url, **kwargs
        )

    def page_key(self, recording, localcontext):
        of = self.fingerprints.of
        values = []
        for name in sorted(recording.shown):
            page = localcontext.get(f"{name}_page")
            if page is None:
                values.append((name, of(localcontext[name])))
            else:  # a paginated list: the page shows its slice and links to its neighbours
                previous, following = (localcontext.get(f"{name}_{side}_page") for side in ("previous", "next"))
                values.append((name, of(page), previous and previous.number, following and following.number))
        return (recording.name, tuple(values))

    def rank(self, localcontext):
        article = localcontext.get("article")
        if article is not None and id(article) in self.changed:
            return OWN_PAGE
        for value in localcontext.values():
            if isinstance(value, ListingPage) and any(id(item) in self.changed for item in value.object_list):
                return SHOWS_CHANGE
        return LATER

    def record(self, recording, localcontext):
        path = sanitised_join(self.output_path, localcontext["output_file"])
        self.claim(path, recording.call)
        if "article" in recording.shown:
            self.article_pages[localcontext["article"]] = recording.call
        key = self.page_key(recording, localcontext)
        if self.needs_writing(path, key):
            page = functools.partial(self.render_page, recording.template, recording.context, localcontext, path)
            self.add(Job(self.rank(localcontext), path, key, recording.call, page))

    @staticmethod
    def render_page(template, context, localcontext, path):
        if localcontext["localsiteurl"]:  # as Pelican's writer does: links in contents follow the page
            context["localsiteurl"] = localcontext["localsiteurl"]
        output.replace_output(path, template.render(localcontext))

    def open_page(self, filename, encoding, override=False):
        if self.writing_feed:
            return super().open_page(filename, encoding, override)
        return _Nothing()

    # -- feeds and other files

    def write_feed(
        self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None
    ):
        if not path:
            return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)
        full_path = sanitised_join(self.output_path, path)
        call = f"feed:{full_path}"
        self.claim(full_path, call)
        shown = list(elements[: self.settings["FEED_MAX_ITEMS"]])
        key = ("feed", url, feed_type, feed_title, self.fingerprints.of(shown))
        self.call_keys[call] = key
        if self.needs_writing(full_path, key):
            feed = functools.partial(self.write_feed_now, elements, context, path, url, feed_type, feed_title)
            self.add(Job(LATER, full_path, key, call, feed))
        return None

    def write_feed_now(self, elements, context, path, url, feed_type, feed_title):
        self.writing_feed = True
        try:
            super().write_feed(elements, context, path, url, feed_type, feed_title=feed_title)
        finally:
            self.writing_feed = False

    def take_file(self, path, make):
        """A file of ``pressroom.build.output.write_output`` in this site (sitemap, calendars, press
        kits, photos): made again at each pass, after the pages that show a change, and written only
        when its bytes changed."""
        if not path.startswith(os.path.join(os.path.abspath(self.output_path), "")):
            return False
        call = f"file:{path}"
        self.claim(path, call)
        key = ("file", next(self.fingerprints.counter))  # never the last one: made again
        self.call_keys[call] = key
        self.add(Job(LATER, path, key, call, functools.partial(make, unchanged=functools.partial(self.same, path))))
        return True

    def same(self, path, data):
        """Whether ``data`` is what the file at ``path`` holds (the last bytes written there)."""
        digest = hashlib.sha256(data).digest()
        if self.file_digests.get(path) == digest and os.path.exists(path):
            return True
        self.file_digests[path] = digest
        return False

    def carry(self, call):
        """A call left out of this walk on purpose (its inputs are known not to have changed):
        its outputs stay."""
        known = self.calls.get(call)
        if known is None:
            return False
        for path in known[1]:
            self.claim(path, call)
        self.call_keys[call] = known[0]
        return True


def selective_writer(pelican):
    """The writer that the site's plugins ask for (the content gate's), made selective."""
    base = engine.writer_class(pelican)
    writer_class = type(f"Selective{base.__name__}", (SelectiveWriting, base), {})
    return writer_class(pelican.output_path, settings=pelican.settings)
