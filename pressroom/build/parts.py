"""A build split by years (``invoke build --annees 2012-2015``, ``--annees communes``, then
``invoke fusion``), for an archive whose whole build outgrows one CI job.

Every part reads the whole content and makes the same listings as a whole build; it writes only
the files it owns and drops the others at the end. A file's owner is decided by one rule,
``Ownership.year_of``: a file in the folder of an article (its page, its lite pages, their
``.gz`` copies) or of a year's search shard belongs to that year's part; every other file to
the common part. The writers skip, before rendering, what their part does not own (the pages of
other years' articles, or the common pages), which is where a part saves its time; the rule
itself, applied to every file left in the folder, is the wall. The common part also renders the
pages of the releases the offline worker keeps (``OFFLINE_RELEASES``) since its version follows
their bytes; it drops them with the rest.

``merge`` puts the parts into the output folder once they agree: same sources (content, code,
settings, day), one common part, years parts that cover every year without overlap, each
part's folder exactly as its manifest says, no file from two parts.
"""

import dataclasses
import functools
import hashlib
import json
import os
import pathlib
import posixpath
import re

from pelican.contents import Article

from pressroom.build import atomic, cache, output, searchindex
from pressroom.content import frdates
from pressroom.settings import ROOT, setting

COMMON = "communes"
RUNNING = "_BUILD_OWNERSHIP"  # the Ownership of a part's build, in the settings (plugins/manifest puts it)
YEARS = re.compile(r"(\d{4})(?:-(\d{4}))?")
PART_NAME = re.compile(r"communes|annees-\d{4}-\d{4}")  # not a part's fresh or old folder beside it


class PartError(ValueError):
    """A part that cannot be built or parts that cannot be merged; the message is French."""


@dataclasses.dataclass(frozen=True)
class Part:
    """The years a part owns (first to last), or none: the common part. ``WHOLE`` owns everything."""

    first: int = 0
    last: int = 0
    common: bool = False

    @property
    def name(self):
        return COMMON if self.common else f"annees-{self.first}-{self.last}"

    def owns_year(self, year):
        return self.first <= year <= self.last

    def writes_article(self, article, kept_offline=()):
        """Whether this part renders ``article``'s pages: its own years, and for the common part
        the releases that the offline worker keeps (by identity)."""
        return self.owns_year(article.date.year) or (self.common and any(article is k for k in kept_offline))


WHOLE = Part(first=1, last=9999, common=True)


@functools.lru_cache(maxsize=16)
def parse(text, years_per_shard=1):
    """« 2012-2015 », « 2015 » or « communes » -> its Part; a PartError in French otherwise."""
    text = str(text).strip()
    if text == COMMON:
        return Part(common=True)
    match = YEARS.fullmatch(text)
    if not match:
        raise PartError(f"--annees « {text} » : une année (2015), deux années (2012-2015) ou « {COMMON} » attendu")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if last < first:
        raise PartError(f"--annees « {text} » : la dernière année précède la première")
    if first % years_per_shard or (last + 1) % years_per_shard:
        raise PartError(
            f"--annees « {text} » : la recherche groupe les années par {years_per_shard} "
            f"(SEARCH_SHARD_YEARS) ; une tranche commence par une année multiple de {years_per_shard} "
            "et finit juste avant une autre"
        )
    return Part(first=first, last=last)


def of(settings):
    """The part this build makes (``BUILD_PART``), or WHOLE."""
    text = setting(settings, "BUILD_PART")
    return parse(text, setting(settings, "SEARCH_SHARD_YEARS")) if text else WHOLE


def problem(settings):
    """What is wrong with ``BUILD_PART`` in these settings, in French, or ""."""
    if not setting(settings, "BUILD_PART"):
        return ""
    try:
        of(settings)
    except PartError as error:
        return str(error)
    if not setting(settings, "OUTPUT_MANIFEST"):
        return "le découpage par années demande le manifeste du site (OUTPUT_MANIFEST)"
    if not settings.get("ARTICLE_SAVE_AS", "").endswith("/index.html"):
        return "le découpage par années demande une page d'article par dossier (ARTICLE_SAVE_AS en …/index.html)"
    return ""


def parts_root(settings):
    """PARTS_PATH, beside the output folder when relative."""
    return os.path.join(os.path.dirname(os.path.abspath(settings["OUTPUT_PATH"])), setting(settings, "PARTS_PATH"))


def folder(settings, part):
    """Where a part's build goes: ``PARTS_PATH/<name>``."""
    return os.path.join(parts_root(settings), part.name)


def part_folders(settings):
    """The parts built (or brought by the forge's jobs) in PARTS_PATH, in order of name."""
    root = parts_root(settings)
    names = sorted(n for n in os.listdir(root) if PART_NAME.fullmatch(n)) if os.path.isdir(root) else []
    folders = [os.path.join(root, name) for name in names if os.path.isdir(os.path.join(root, name))]
    linked = [folder for folder in folders if os.path.islink(folder)]
    if linked:
        raise PartError(f"{linked[0]} : lien symbolique à la place d'une partie")
    if not folders:
        raise PartError(f"aucune partie dans {root} : lancez d'abord invoke build --annees … pour chacune")
    return folders


def kept_offline(context, settings):
    """The releases the offline worker keeps, as plugins/lite lists them."""
    return context.get("articles", [])[: setting(settings, "OFFLINE_RELEASES")]


def skips_page(settings, context, name, article=None):
    """Whether a part's writer leaves out the page ``name``: a page its part does not own, but
    for the common part the releases the offline worker keeps."""
    ownership = settings.get(RUNNING)
    if ownership is None:
        return False
    part = of(settings)
    if part.common and isinstance(article, Article) and part.writes_article(article, kept_offline(context, settings)):
        return False
    return not ownership.owned(name, part)


class Ownership:
    """Output path (relative, with /) -> the year of the part that owns it, or None (common): the
    folders of the articles (their pages, lite pages, attachments) and of the search shards, and the
    search page, which loads Pagefind's interface from the newest shard and weighs it."""

    def __init__(self, articles, settings, searched=()):
        self.folders, self.files = {}, {}
        lite = setting(settings, "LITE_URL")
        for article in articles:
            article_folder = posixpath.dirname(article.save_as)
            self.folders[article_folder] = article.date.year
            self.folders[lite + article_folder] = article.date.year
        per_shard = setting(settings, "SEARCH_SHARD_YEARS")
        shard_years = {year - year % per_shard for year in searched}
        for first in shard_years:
            shard = searchindex.shard_name(first, per_shard)
            self.folders[f"{setting(settings, 'SEARCH_OUTPUT_SUBDIR')}/{shard}"] = first
        if shard_years and settings.get("SEARCH_SAVE_AS"):
            self.files[settings["SEARCH_SAVE_AS"]] = max(shard_years)
        self.years = sorted({article.date.year for article in articles})

    def year_of(self, relative):
        relative = relative.removesuffix(".gz")
        if relative in self.files:
            return self.files[relative]
        parent = posixpath.dirname(relative)
        while parent:
            if parent in self.folders:
                return self.folders[parent]
            parent = posixpath.dirname(parent)
        return None

    def owned(self, relative, part):
        year = self.year_of(relative)
        return part.common if year is None else part.owns_year(year)


def sources_digest(settings, articles):
    """What two parts must share to be merged, wherever each was built (each forge job has a clone
    of its own): the code, the settings, the content's files, the day, and every article's address
    and status."""
    digest = hashlib.sha256()
    for path in cache.code_files(settings):
        digest.update(os.path.relpath(path, ROOT).encode() + b"\0" + path.read_bytes())
    places = cache.PLACES | {"SEARCH_CACHE_PATH"}
    chosen = {k: v for k, v in settings.items() if k.isupper() and not k.startswith("_") and k not in places}
    digest.update(
        cache.stable(chosen).replace(str(settings["PATH"]), "<contenu>").replace(str(ROOT), "<projet>").encode()
    )
    content = pathlib.Path(settings["PATH"])
    for path in sorted(p for p in content.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(content)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update(frdates.today(settings).isoformat().encode())
    for article in sorted(articles, key=lambda a: a.save_as):
        digest.update(f"{article.save_as}\0{article.status}\n".encode())
    return digest.hexdigest()


# --- Merging ---------------------------------------------------------------------------------


def manifest_text(listed):
    """A manifest's text, as a whole build (plugins/manifest) and a merge write it: the same bytes."""
    return json.dumps(listed, ensure_ascii=False, indent=0, sort_keys=True)


def read_manifest(part_folder, manifest_name):
    try:
        with open(os.path.join(part_folder, manifest_name), encoding="utf-8") as handle:
            listing = json.load(handle)
    except (OSError, ValueError) as error:
        raise PartError(f"{part_folder} : manifeste {manifest_name} illisible ou absent ({error})") from None
    if not isinstance(listing, dict) or not isinstance(listing.get("partie"), dict):
        raise PartError(f"{part_folder} : ce n'est pas une partie de construction (invoke build --annees)")
    return listing


def checked_parts(folders, manifest_name, siteurl=None):
    """{folder: its manifest}, once every part agrees with the others and with its own folder (and,
    for a publication, was built for ``siteurl``)."""
    parts = {folder: read_manifest(folder, manifest_name) for folder in folders}
    for part_folder, listing in parts.items():
        if siteurl is not None and listing["partie"].get("siteurl") != siteurl:
            raise PartError(
                f"{part_folder} n'a pas été construite pour {siteurl} : invoke build --annees … --production"
            )
    digests = {listing["partie"].get("sources") for listing in parts.values()}
    if len(digests) != 1:
        raise PartError(
            "les parties ne viennent pas de la même construction (contenu, code, réglages ou jour différents) : "
            "reconstruisez-les toutes"
        )
    common = [folder for folder, listing in parts.items() if listing["partie"].get("nom") == COMMON]
    if len(common) != 1:
        raise PartError(f"il faut une et une seule partie « {COMMON} » (trouvées : {len(common)})")
    covered = {}
    for part_folder, listing in parts.items():
        for year in listing["partie"].get("annees_ecrites", []):
            if year in covered:
                raise PartError(f"l'année {year} est dans deux parties : {covered[year]} et {part_folder}")
            covered[year] = part_folder
    missing = sorted(set(parts[common[0]]["partie"].get("annees", [])) - set(covered))
    if missing:
        raise PartError("années sans partie : " + ", ".join(map(str, missing)) + " (invoke build --annees …)")
    for part_folder, listing in parts.items():
        check_folder(part_folder, listing, manifest_name)
    return parts


def check_folder(part_folder, listing, manifest_name):
    found = output.files_and_links(part_folder)
    found.pop(manifest_name, None)
    links = sorted(path for path, is_link in found.items() if is_link)
    if links:
        raise PartError(f"{part_folder}/{links[0]} : lien symbolique dans une partie")
    declared = set(listing.get("fichiers", {}))
    extra, missing = sorted(set(found) - declared), sorted(declared - set(found))
    if extra:
        raise PartError(f"{part_folder}/{extra[0]} : fichier que son manifeste ne déclare pas")
    if missing:
        raise PartError(f"{part_folder}/{missing[0]} : fichier déclaré par son manifeste mais absent")


def merge(folders, final, manifest_name, siteurl=None):
    """Put the parts' files in a fresh folder that replaces ``final`` once complete; the caller
    holds the tree's lock. The number of files."""
    parts = checked_parts(folders, manifest_name, siteurl)
    owners, origin = {}, {}
    for part_folder, listing in parts.items():
        for relative, owner in listing["fichiers"].items():
            if relative in origin:
                raise PartError(f"site/{relative} : écrit par deux parties, {origin[relative]} et {part_folder}")
            origin[relative], owners[relative] = part_folder, owner
    with atomic.fresh_output(final) as fresh:
        for relative in sorted(origin):
            target = os.path.join(fresh, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            output.link_or_copy(os.path.join(origin[relative], relative), target)
        output.write_output(fresh, manifest_name, manifest_text({"fichiers": owners}))
        atomic.swap_in(fresh, final)
    return len(owners)
