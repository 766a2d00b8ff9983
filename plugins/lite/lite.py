"""Lite: a text edition of the site under ``/lite/`` for readers on 2G and costly data, the
weight of every full page, and the service worker that keeps pages for offline reading.

Lite pages (home, every release, every institution page, the agenda, the contacts page) carry
no script, no font and no stylesheet but a few inline lines; photos are links that say their
format and weight. Each page, gzipped as the server sends it, fits in ``LITE_BUDGET_BYTES``
(the first round trip of a TCP connection): a longer release is split on its top-level blocks
into parts joined by « Lire la suite » links (``suite-2.html`` beside the first part), a longer
list keeps its most recent entries.

Signals: ``all_generators_finalized`` keeps the build's generators (their templates and
context) and tells the templates that the lite edition exists; ``deploy`` (pelican-granular-
signals, after the ``.gz`` copies are made, so every photo, attachment and page is on disk)
writes the lite pages with their ``.gz`` copies, writes on each full page its weight and what
its lite version saves, then writes the service worker, versioned by what it keeps.
"""

import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import posixpath
import re
import urllib.parse

import blinker
from pelican import signals
from pelican.plugins import granular_signals
from pelican.utils import get_relative_path, path_to_url

from pressroom.build import parts
from pressroom.build.compression import UNFINISHED_MARK, gzip_bytes, write_gzip_copy
from pressroom.build.output import rewrite_output, write_output, written
from pressroom.build.processes import die_with_parent, worker_pool
from pressroom.content import frdates
from pressroom.content.contacts import site_contact
from pressroom.content.text import file_size
from pressroom.settings import setting

from . import body as lite_body

__all__ = ["register"]

log = logging.getLogger(__name__)

RUNNING = "_LITE_EDITION"  # the LiteEdition of this build, in the settings (as gzip_copies does)
# What the full pages' templates leave for the build to fill (includes/page_weight.html).
MARK_PAGE = UNFINISHED_MARK.decode()  # so plugins/gzip_copies leaves the copy of such a page to us
MARK_LITE = re.compile(r"<!--poids-leger:([^>]*?)-->")
IMAGE_KINDS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WebP", "gif": "GIF", "svg": "SVG"}
TEXT_EXTENSIONS = (".css", ".js", ".svg", ".html", ".json")
PARALLEL_FROM = 100  # pages: below, starting worker processes costs more than it saves


class Part:
    """One lite page of a release: its blocks of the body, and its neighbours."""

    def __init__(self, number, body, is_last, url, previous_url="", next_url=""):
        self.number, self.body, self.is_last = number, body, is_last
        self.url, self.previous_url, self.next_url = url, previous_url, next_url


class LiteEdition:
    """The lite pages of one build: rendered with the build's templates once every file is written."""

    def __init__(self, generators):
        self.generators = generators
        self.settings, self.context = generators[0].settings, generators[0].context
        self.output = self.settings["OUTPUT_PATH"]
        self.prefix = setting(self.settings, "LITE_URL")
        self.budget = setting(self.settings, "LITE_BUDGET_BYTES")
        self.copies = setting(self.settings, "GZIP_COPIES")  # the .gz copies, as for every other page
        self.sizes = {}  # lite URL -> bytes sent (gzip), first part of a release
        self.lite_paths = set()  # pages that have a lite version, as site_path_of writes them
        self.site_contact = site_contact(self.settings)

    def __reduce__(self):
        return type(None), ()  # not part of Pelican's content cache

    # --- Rendering ------------------------------------------------------------------------

    def render(self, template, save_as, **values):
        """The page ``save_as`` as Pelican's Writer would render it (relative links included)."""
        self.follow_links(save_as)
        context = self.context.copy()
        if self.settings["RELATIVE_URLS"]:
            context["SITEURL"] = self.context["localsiteurl"]
        context.update(output_file=save_as, LITE_SITE_PRESS_CONTACT=self.site_contact, **values)
        return self.generators[0].env.get_template(f"lite/{template}").render(context).encode("utf-8")

    def siteurl_for(self, save_as):
        if self.settings["RELATIVE_URLS"]:
            return path_to_url(get_relative_path(save_as))
        return self.settings.get("SITEURL") or ""

    def lite_links(self, body, save_as):
        """Links of a body to a page that has a lite version lead to that version."""

        def to_lite(match):
            address, _, fragment = match.group(2).partition("#")
            path = site_path_of(address, save_as, self.settings).rstrip("/") if address else None
            if path not in self.lite_paths:
                return match.group(0)
            lite = f"{self.siteurl_for(save_as)}/{self.prefix}{path}/" + (f"#{fragment}" if fragment else "")
            return match.group(1) + lite + match.group(3)

        return LINK.sub(to_lite, body)

    def follow_links(self, save_as):
        """Links of the articles' content, relative to ``save_as`` (as Pelican's Writer does)."""
        if self.settings["RELATIVE_URLS"]:
            self.context["localsiteurl"] = self.siteurl_for(save_as)

    def write(self, url, html, blob=None):
        """Write a lite page and its .gz copy; return the bytes sent (gzip)."""
        blob = blob if blob is not None else gzip_bytes(html)
        self.write_with_copy(lite_save_as(url), html, blob)
        return self.learn(url, len(blob))

    def learn(self, url, sent):
        """A lite page written: one too heavy is said. Returns ``sent``."""
        if sent > self.budget:  # a list of one entry, or one block of a release, too long alone
            log.warning("Version légère trop lourde (%s octets compressés) : %s", sent, url)
        return sent

    def write_page(self, template, full_url, **values):
        url = self.prefix + full_url
        html = self.render(template, lite_save_as(url), full_url=full_url, lite_url=url, **values)
        self.sizes[url] = self.write(url, html)

    def write_list_page(self, template, full_url, lists, limit, **values):
        """A page of lists (name -> items, newest or soonest first): the first ``limit`` of each,
        fewer if the page would not fit; ``more[name]`` says how many are left out."""
        url, count = self.prefix + full_url, limit
        while True:
            shown = {name: items[:count] for name, items in lists.items()}
            more = {name: len(items) - len(shown[name]) for name, items in lists.items()}
            html = self.render(template, lite_save_as(url), full_url=full_url, lite_url=url, more=more,
                               **shown, **values)  # fmt: skip
            blob = gzip_bytes(html)
            if len(blob) <= self.budget or count <= 1:
                break
            count = count * 3 // 4
        self.sizes[url] = self.write(url, html, blob)

    # --- Pages --------------------------------------------------------------------------------

    def write_pages(self):
        articles, institutions = written_articles(self.generators), self.context.get("institutions", [])
        agenda, contacts = setting(self.settings, "AGENDA_URL"), setting(self.settings, "CONTACTS_URL")
        pages = [a.url for a in articles] + [i.url for i in institutions] + [agenda, contacts]
        self.lite_paths = {page.rstrip("/") for page in pages if page.endswith("/")}
        part = parts.of(self.settings)
        kept = parts.kept_offline(self.context, self.settings)
        self.write_articles([article for article in articles if part.writes_article(article, kept)])
        if part.common:
            self.write_common_pages(institutions, agenda, contacts)

    def write_common_pages(self, institutions, agenda, contacts):
        limit = setting(self.settings, "LITE_LIST_MAX")
        self.write_list_page("index.html", "", {"items": self.context.get("articles", [])}, limit,
                             next_events=self.context.get("next_events", []))  # fmt: skip
        for institution in institutions:
            self.write_list_page("institution.html", institution.url, {"items": institution.articles}, limit,
                                 institution=institution)  # fmt: skip
        events, today = self.context.get("events", []), frdates.today(self.settings)
        upcoming = [e for e in events if e.last_day >= today]
        past = sorted((e for e in events if e.last_day < today), key=lambda e: e.start, reverse=True)
        self.write_list_page("agenda.html", agenda, {"upcoming": upcoming, "past": past}, limit)
        self.write_page("contacts.html", contacts, institutions=institutions)

    def write_articles(self, articles):
        """The lite pages of ``articles``: in worker processes when there are many (LITE_PROCESSES),
        which write the files; what they wrote is announced and learnt here, in order."""
        with self.workers(len(articles), articles) as pool:
            written_parts = pool.imap(_Worker.write_article, range(len(articles)), chunksize=32) if pool else None
            for article, pieces in zip(articles, written_parts or map(self.write_article, articles)):
                for part_url, sent in pieces:
                    if pool:
                        self.announce(lite_save_as(part_url), rewrite=False)
                    self.learn(part_url, sent)
                self.sizes[self.prefix + article.url] = pieces[0][1]

    def workers(self, count, articles=()):
        """A pool of worker processes for ``count`` pages, which inherit this edition and ``articles``;
        None (one page after the other here) below PARALLEL_FROM or without fork."""
        processes = setting(self.settings, "LITE_PROCESSES")
        if "fork" not in multiprocessing.get_all_start_methods() or count < PARALLEL_FROM or processes < 2:
            return contextlib.nullcontext()
        return worker_pool(processes, _Worker.start, (self, articles, os.getpid()))  # indexes, paths, results pickled

    def write_article(self, article):
        """Write the lite pages of ``article``: [(part URL, bytes sent)]."""
        url = self.prefix + article.url
        save_as = lite_save_as(url)
        self.follow_links(save_as)
        body = lite_body.lite_body(article.content, self.image_label_for(save_as), article.url)
        body = self.lite_links(body, save_as)
        written_parts = []
        for part, html, blob in self.article_parts(article, url, body):
            self.write_with_copy(lite_save_as(part.url), html, blob)
            written_parts.append((part.url, len(blob)))
        return written_parts

    def article_parts(self, article, url, body):
        """[(Part, HTML, gzipped)]: the whole release if it fits, else parts cut between top-level blocks."""
        whole = self.render_part(article, Part(1, body, True, url))
        if len(whole[2]) <= self.budget:
            return [whole]
        blocks, parts, start = lite_body.blocks(body), [], 0
        while start < len(blocks):
            end = self.largest_fitting_end(article, url, blocks, start, len(parts) + 1)
            parts.append(self.render_part(article, self.part(url, blocks, start, end, len(parts) + 1)))
            start = end
        return parts

    @staticmethod
    def part(url, blocks, start, end, number):
        """The part ``number`` of the release at ``url``: ``blocks[start:end]``."""

        def address(n):
            # a file beside the first part's index.html: the body's relative links stay right
            return url if n == 1 else f"{url}suite-{n}.html"

        is_last = end == len(blocks)
        previous = address(number - 1) if number > 1 else ""
        following = "" if is_last else address(number + 1)
        return Part(number, "".join(blocks[start:end]), is_last, address(number), previous, following)

    def largest_fitting_end(self, article, url, blocks, start, number):
        """The most blocks from ``start`` that fit on one page (at least one: a block is never cut)."""
        low, high = start + 1, len(blocks)
        while low < high:
            middle = (low + high + 1) // 2
            if len(self.render_part(article, self.part(url, blocks, start, middle, number))[2]) <= self.budget:
                low = middle
            else:
                high = middle - 1
        return low

    def render_part(self, article, part):
        """(part, its HTML, the HTML gzipped)."""
        html = self.render("article.html", lite_save_as(part.url), article=article, part=part,
                           full_url=article.url, lite_url=part.url, photo_label=self.photo_label(article))  # fmt: skip
        return part, html, gzip_bytes(html)

    # --- Sizes of what the pages link to --------------------------------------------------------

    def file_bytes(self, site_path):
        path = os.path.join(self.output, urllib.parse.unquote(site_path))
        return os.path.getsize(path) if os.path.isfile(path) else None

    def label(self, site_path):
        """« WebP, 38 Ko »: the format and the real weight of a file of the output."""
        kind = IMAGE_KINDS.get(site_path.rpartition(".")[2].lower(), "image")
        size = self.file_bytes(site_path)
        return f"{kind}, {file_size(size)}" if size is not None else kind

    def photo_label(self, article):
        return self.label(article.photo.webp[0].url) if article.photo else ""

    def image_label_for(self, save_as):
        def image_label(src):
            return self.label(site_path_of(src, save_as, self.settings))

        return image_label

    # --- Full pages and the worker --------------------------------------------------------------

    def full_pages(self):
        """Every HTML page of the output outside the lite edition."""
        lite_folder = os.path.join(os.path.abspath(self.output), self.prefix.strip("/"), "")
        for folder, _, names in os.walk(self.output):
            for name in names:
                path = os.path.join(folder, name)
                if name.endswith(".html") and not os.path.abspath(path).startswith(lite_folder):
                    yield path

    def weigh_full_pages(self):
        """Write on every full page its weight, and on its lite link the lite page's: in worker
        processes, which write the pages; announced here, where the manifest is kept."""
        pages = list(self.full_pages())
        with self.workers(len(pages)) as pool:
            if not pool:
                for path in pages:
                    self.weigh(path)
                return
            for save_as in pool.imap_unordered(_Worker.weigh, pages, chunksize=64):
                if save_as:
                    self.announce(save_as, rewrite=True)

    def weigh(self, path):
        """Write the weights on the page at ``path``, and its .gz copy; its ``save_as``, or None
        for a page that shows no weight."""
        with open(path, encoding="utf-8") as page:
            html = page.read()
        if MARK_PAGE not in html:
            return None
        save_as = os.path.relpath(path, self.output).replace(os.sep, "/")
        weight = full_page_weight(html, save_as, self.settings, self.file_bytes)
        html = html.replace(MARK_PAGE, file_size(weight))
        html = MARK_LITE.sub(lambda m: file_size(self.sizes.get(m.group(1), 0)), html)
        self.write_with_copy(save_as, html.encode("utf-8"), rewrite=True)
        return save_as

    def write_worker(self):
        """The service worker, whose version follows the addresses and bytes of what it keeps."""
        if not parts.of(self.settings).common:
            return
        urls, digest = offline_urls(self.context, self.settings), hashlib.sha256()
        for url in urls:
            digest.update(url.encode())
            path = os.path.join(self.output, lite_save_as(url))
            if os.path.isfile(path):
                with open(path, "rb") as kept:
                    digest.update(kept.read())
        save_as = setting(self.settings, "OFFLINE_WORKER_SAVE_AS")
        script = self.generators[0].env.get_template("lite/offline-worker.js").render(
            version=digest.hexdigest()[:16], urls=json.dumps(urls, ensure_ascii=False),
            search_folder=setting(self.settings, "SEARCH_OUTPUT_SUBDIR"),
            locale=setting(self.settings, "BABEL_LOCALE").replace("_", "-"),
            max_read=setting(self.settings, "OFFLINE_MAX_READ"),
        )  # fmt: skip
        self.write_with_copy(save_as, script.encode("utf-8"))

    def write_with_copy(self, save_as, data, blob=None, rewrite=False):
        """Write ``data`` at ``save_as`` and its .gz copy (unless GZIP_COPIES is off), both announced
        (the manifest lists them); ``rewrite``: over a full page that its own writer announced already."""
        (rewrite_output if rewrite else write_output)(self.output, save_as, data)
        path = os.path.join(self.output, save_as)
        if self.copies:
            write_gzip_copy(path, data, blob)
            self.announce_copy(path, rewrite)

    def announce(self, save_as, rewrite):
        """A file written in a worker process, and its .gz copy, announced by the build process."""
        path = os.path.join(self.output, save_as)
        written.send(path, rewrite=rewrite)
        self.announce_copy(path, rewrite)

    @staticmethod
    def announce_copy(path, rewrite):
        if os.path.exists(path + ".gz"):
            written.send(path + ".gz", copy_of=path, rewrite=rewrite)


class _Worker:
    """What a worker process writes lite pages and weighs full pages with: the build's LiteEdition
    and the articles, inherited at the fork."""

    edition, articles = None, ()

    @classmethod
    def start(cls, edition, articles, parent):
        die_with_parent(parent)  # it dies with the build
        cls.edition, cls.articles = edition, articles

    @classmethod
    def write_article(cls, index):
        return cls.edition.write_article(cls.articles[index])

    @classmethod
    def weigh(cls, path):
        return cls.edition.weigh(path)


def lite_save_as(url):
    """``lite/2024/10/x/`` -> ``lite/2024/10/x/index.html`` (a URL of a file stays as it is)."""
    return url + "index.html" if url.endswith("/") or not url else url


def site_path_of(src, save_as, settings):
    """The address, relative to the site's root, of ``src`` as written on the page ``save_as``."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    parsed = urllib.parse.urlsplit(src)
    if parsed.scheme or parsed.netloc:
        return src[len(siteurl) :].lstrip("/") if siteurl and src.startswith(siteurl) else ""
    if src.startswith("/"):
        return src.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(save_as), parsed.path))


STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"")
SCRIPT = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"")
PICTURE = re.compile(r"<picture\b.*?</picture>", re.S)
WEBP_SOURCE = re.compile(r"<source\b[^>]*type=\"image/webp\"[^>]*srcset=\"([^\"\s,]+)")
IMAGE = re.compile(r"<img\b[^>]*\bsrc=\"([^\"]+)\"")
LINK = re.compile(r"(<a\b[^>]*?\bhref=\")([^\"]*)(\")")


def full_page_weight(html, save_as, settings, file_bytes):
    """Bytes a phone 360 px wide receives for a full page: the page and its stylesheets and
    scripts as sent (their .gz copies), the narrowest WebP of each photo, every other image as
    it is. ``file_bytes(site path)`` is the size of a file of the output, or None."""
    total = file_bytes(save_as + ".gz") or len(gzip_bytes(html.encode("utf-8")))
    without_pictures = PICTURE.sub("", html)
    addresses = STYLESHEET.findall(html) + SCRIPT.findall(html) + WEBP_SOURCE.findall(html)
    addresses += IMAGE.findall(without_pictures)
    for src in dict.fromkeys(addresses):
        site_path = site_path_of(src, save_as, settings)
        sent = file_bytes(site_path + ".gz") if site_path.endswith(TEXT_EXTENSIONS) else None
        total += sent or file_bytes(site_path) or 0
    return total


def written_articles(generators):
    """Every article that has a page of its own (withdrawn ones too; drafts never)."""
    seen, found = set(), []
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations"):
            for article in getattr(generator, name, []):
                if article.save_as and id(article) not in seen:
                    seen.add(id(article))
                    found.append(article)
    return found


def offline_urls(context, settings):
    """What the worker keeps when it installs: the home page (full and lite), the last releases,
    the institution pages, the narrowest WebP of each release's photo, the theme's files."""
    articles = context.get("articles", [])[: setting(settings, "OFFLINE_RELEASES")]
    prefix = setting(settings, "LITE_URL")
    urls = ["", prefix, "theme/css/site.css", "theme/js/offline.js"]
    urls += [article.url for article in articles]
    urls += [article.photo.webp[0].url for article in articles if getattr(article, "photo", None)]
    urls += [institution.url for institution in context.get("institutions", [])]
    return list(dict.fromkeys(urls))


def settings_problems(settings):
    """What is wrong with the lite edition's settings, in French."""
    problems = []
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*/", str(setting(settings, "LITE_URL"))):
        problems.append(
            f"LITE_URL : « {setting(settings, 'LITE_URL')} » doit être un nom de dossier suivi de « / » (lite/)"
        )
    for name in ("LITE_BUDGET_BYTES", "LITE_LIST_MAX", "OFFLINE_RELEASES", "OFFLINE_MAX_READ"):
        value = setting(settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            problems.append(f"{name} : « {value} » doit être un nombre entier positif")
    return problems


def start(generators):
    settings = generators[0].settings
    if not setting(settings, "LITE_EDITION"):
        return
    problems = settings_problems(settings)
    for problem in problems:
        log.error("Version légère : %s", problem)  # the build fails, with these lines
    if problems:
        return
    settings[RUNNING] = LiteEdition(generators)
    generators[0].context["LITE_EDITION"] = True


def finish(pelican):
    edition = pelican.settings.pop(RUNNING, None)
    if edition is None:
        return
    edition.write_pages()
    edition.weigh_full_pages()
    edition.write_worker()


def register():
    granular_signals.register()
    signals.all_generators_finalized.connect(start)
    blinker.signal("deploy").connect(finish)
