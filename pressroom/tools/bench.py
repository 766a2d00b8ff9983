"""Build benchmark: a deterministic synthetic archive of N French articles,
built with the whole project (our settings, plugins and theme) and with plain
Pelican (default theme, no plugins), each in its own subprocess, three times
alternated (the ratio reported is the median), each from no output; then rebuilt
with the content cache over the last output after one new release is published;
then served by the preview server, timed from the save of an edit (or of a new
article) to the page on disk. Memory: the peak of the build's own process
(``ru_maxrss``) and of its whole process tree (pressroom.tools.treememory).

First, the typography plugin alone on one paragraph of 100 KB, 1 MB and 3 MB:
its time must grow like the text (×10 for ×10).

Run it with ``invoke bench --articles N``.
"""

import collections
import cProfile
import dataclasses
import datetime
import io
import os
import pathlib
import pstats
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types

from pelican import Pelican
from pelican.settings import read_settings
from pelican.utils import slugify

from pressroom.build import engine, site
from pressroom.content import related, schema
from pressroom.content.registry import Registry
from pressroom.preview import live as preview
from pressroom.settings import DEFAULTS, ROOT
from pressroom.tools import treememory

REGISTRY = ROOT / "content" / DEFAULTS["INSTITUTIONS_REGISTRY"]
SEED = 20241008

CATEGORIES = ["Actualité", "Communiqué de presse", "Reportage", "Discours", "Avis aux médias"]  # schema.RELEASE_TYPES
THEMES = [
    "protection sociale",
    "formation",
    "assurance maladie",
    "retraite",
    "mutualité",
    "dialogue social",
    "syndicalisme",
    "prestations familiales",
    "santé",
    "gouvernance",
    "plaidoyer",
    "économie informelle",
    "couverture maladie universelle",
    "numérique",
    "recouvrement",
    "pensions",
    "accidents du travail",
    "coopération",
]
AUTHORS = [
    "Aminata Bocar Sow",
    "Y. Doumbia",
    "Moussa Keïta",
    "Fatoumata Diarra",
    "Awa Traoré",
    "Ibrahima Ndiaye",
    "Mariam Coulibaly",
    "Ousmane Sy",
]
PLACES = ["Bamako", "Dakar", "Kayes", "Ségou", "Sikasso", "Mopti", "Kaolack", "Thiès", "Saint-Louis"]
ACTIONS = [
    "atelier national",
    "session de formation",
    "journée porte ouverte",
    "séminaire",
    "conseil d'administration",
    "assemblée générale",
    "campagne de sensibilisation",
    "table ronde",
    "caravane d'immatriculation",
    "cérémonie de remise de pensions",
]
SUBJECTS = [
    "l'extension de la protection sociale",
    "l'assurance maladie obligatoire",
    "la mutualité communautaire",
    "le recouvrement des cotisations",
    "les droits des retraités",
    "la couverture du secteur informel",
    "la gouvernance des caisses",
    "la digitalisation des prestations",
    "la santé et la sécurité au travail",
]
SENTENCES = [
    "La cérémonie d'ouverture était présidée par le directeur général de {inst}, "
    "entouré de ses proches collaborateurs.",
    "Les participants ont échangé sur {subject} et sur les moyens de rapprocher les services des assurés.",
    "Selon les organisateurs, cette rencontre répond à une demande forte des travailleurs et de leurs familles.",
    "« Nous devons aller vers ceux qui ne sont pas encore couverts », a rappelé le représentant de {inst}.",
    "Plusieurs communications ont porté sur le cadre juridique, le financement et la qualité des prestations.",
    "Les travaux se sont déroulés à {place} dans une ambiance studieuse et conviviale.",
    "Une feuille de route sera élaborée pour une meilleure synergie d'actions entre les acteurs.",
    "Les délégués régionaux ont présenté le bilan des activités menées au cours de l'année écoulée.",
    "La question du recouvrement des cotisations sociales a occupé une large part des débats.",
    "Les partenaires techniques et financiers ont salué les progrès accomplis depuis la dernière session.",
    "Des recommandations ont été formulées à l'endroit des autorités et des employeurs.",
    "Les assurés peuvent désormais suivre leurs dossiers en ligne ou auprès des agences régionales.",
    "Le secrétaire général a insisté sur la nécessité d'un dialogue social permanent.",
    "Cette initiative s'inscrit dans la politique nationale de protection sociale adoptée par le gouvernement.",
    "À l'issue des travaux, les participants ont reçu une attestation de participation.",
    "Le programme prévoit des visites de terrain et des séances d'échange avec les mutuelles de {place}.",
    "Les femmes et les jeunes du secteur informel ont été particulièrement ciblés par cette action.",
    "Le représentant du ministère a félicité {inst} pour la qualité de l'organisation.",
]


class BuildFailed(Exception):
    pass


@dataclasses.dataclass
class Measure:
    """One build: its time; the peak of its main process (ru_maxrss) and of its whole process tree
    (workers, Pagefind), sampled; the processor time of the whole tree (on two cores, a build that
    does less work may end no sooner: the longest process sets the time)."""

    seconds: float
    peak_mib: float
    tree_mib: float
    cpu_seconds: float
    output: tuple = ()  # (files, bytes) the build left in its output folder, when counted

    def described(self):
        """« processeur 61.20 s, mémoire maximale … »: what the build used beside its time."""
        described = (
            f"processeur {self.cpu_seconds:.2f} s, mémoire maximale {self.tree_mib:.0f} Mio (tous processus), "
            f"{self.peak_mib:.0f} Mio (processus principal)"
        )
        if self.output:
            files, size = self.output
            described += f", {files} fichiers écrits ({size / 2**20:.0f} Mio)"
        return described


def output_size(folder):
    """(files, bytes) under ``folder``: what a build wrote, to compare builds that write different sites."""
    files = size = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(parent, name)).st_size
    return files, size


@dataclasses.dataclass
class Trial:
    """One pair of full builds, plain Pelican then ours, one after the other."""

    plain: Measure
    full: Measure

    @property
    def ratio(self):
        return self.full.seconds / self.plain.seconds


@dataclasses.dataclass
class PreviewMeasure:
    """The preview server: its first build, then seconds from each save to the page on disk."""

    startup: float
    edits: list
    new_articles: list


def seconds_list(values):
    return ", ".join(f"{value:.2f}" for value in values)


@dataclasses.dataclass
class Report:
    articles: int
    trials: list
    rebuild: Measure
    preview: PreviewMeasure = None  # option B: the incremental engine (make serve)
    public: PreviewMeasure = None  # option A: Pelican's public API, a whole build per save
    off: tuple = ()  # names of WITHOUT: what this build of our site leaves out

    @property
    def median_trial(self):
        """The trial whose ratio is the median (three trials: the middle one)."""
        return sorted(self.trials, key=lambda trial: trial.ratio)[len(self.trials) // 2]

    @property
    def plain(self):
        return self.median_trial.plain

    @property
    def full(self):
        return self.median_trial.full

    @property
    def ratio(self):
        return self.median_trial.ratio

    def lines(self):
        lines = [f"Archive synthétique : {self.articles} articles"]
        for number, trial in enumerate(self.trials, start=1):
            lines.append(
                f"Essai {number} : Pelican seul {trial.plain.seconds:.2f} s, site complet {trial.full.seconds:.2f} s, "
                f"rapport {trial.ratio:.2f}"
            )
        lines += [
            f"Pelican seul (thème par défaut, sans extension) : {self.plain.seconds:.2f} s, {self.plain.described()}",
            f"Site complet (nos réglages, extensions et thème{left_out(self.off)}) : "
            f"{self.full.seconds:.2f} s, {self.full.described()}",
            f"Mémoire site complet / Pelican seul (tous processus) : {self.full.tree_mib / self.plain.tree_mib:.2f}",
            f"Rapport site complet / Pelican seul : {self.ratio:.2f} (médiane des rapports "
            f"{seconds_list(trial.ratio for trial in self.trials)}, essais alternés)",
            f"Reconstruction après publication d'un nouveau communiqué (cache) : {self.rebuild.seconds:.2f} s "
            f"({self.rebuild.seconds / self.full.seconds:.0%} de la construction complète), {self.rebuild.described()}",
        ]
        if self.preview:
            preview = self.preview
            lines += [
                f"Aperçu (make serve) : première construction {preview.startup:.2f} s",
                f"Aperçu : article modifié écrit sur le disque {statistics.median(preview.edits):.2f} s après "
                f"l'enregistrement (médiane de {len(preview.edits)} : {seconds_list(preview.edits)} s)",
                f"Aperçu : nouvel article sur la page d'accueil {statistics.median(preview.new_articles):.2f} s après "
                f"l'enregistrement (médiane de {len(preview.new_articles)} : {seconds_list(preview.new_articles)} s)",
            ]
        if self.public:
            lines.append(public_line(self.public))
        return lines


def public_line(public):
    """Option A's figures: the preview on Pelican's public API alone."""
    return (
        "Aperçu sur l'API publique de Pelican (option A : construction entière à chaque enregistrement, "
        f"cache de lecture, WRITE_SELECTED) : article modifié {statistics.median(public.edits):.2f} s "
        f"(médiane de {seconds_list(public.edits)} s), nouvel article sur la page d'accueil "
        f"{statistics.median(public.new_articles):.2f} s (médiane de {seconds_list(public.new_articles)} s)"
    )


# --- The synthetic archive ---------------------------------------------------


def _paragraph(rng, context):
    return " ".join(rng.choice(SENTENCES).format(**context) for _ in range(rng.randint(4, 7)))


def _body(rng, context):
    """About 400 to 700 words: paragraphs, now and then a subheading and a list."""
    words, blocks = rng.randint(400, 700), []
    while sum(len(block.split()) for block in blocks) < words:
        if blocks and rng.random() < 0.12:
            blocks.append(f"## {rng.choice(ACTIONS).capitalize()} : les points clés")
        elif blocks and rng.random() < 0.1:
            blocks.append("\n".join(f"- {rng.choice(SUBJECTS)} ;" for _ in range(3)))
        else:
            blocks.append(_paragraph(rng, context))
    return "\n\n".join(blocks)


def within_slug_limit(slug):
    """The slug, cut at a hyphen to the length the content gate accepts, its number kept at the end."""
    limit = schema.field("Slug").max_length
    if len(slug) <= limit:
        return slug
    head, number = slug.rsplit("-", 1)
    head = head[: limit - len(number) - 1].rsplit("-", 1)[0]
    return f"{head}-{number}"


def synthetic_article(rng, number, acronyms):
    """The Markdown source of one article and its path below ``articles/``."""
    date = datetime.datetime(2012, 1, 1, 9) + datetime.timedelta(
        days=rng.randrange(14 * 365), minutes=rng.randrange(600)
    )
    institutions = rng.sample(acronyms, rng.randint(1, 3))
    action, subject, place = rng.choice(ACTIONS), rng.choice(SUBJECTS), rng.choice(PLACES)
    title = f"{institutions[0]} : {action} sur {subject} à {place} ({number})"
    slug = within_slug_limit(slugify(title, regex_subs=[(r"[^\w\s-]", ""), (r"[-\s]+", "-")]))
    context = {"inst": institutions[0], "subject": subject, "place": place}
    lines = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d %H:%M}",
        f"Author: {rng.choice(AUTHORS)}",
        f"Institutions: {', '.join(institutions)}",
        f"Tags: {', '.join(rng.sample(THEMES, rng.randint(1, 4)))}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Summary: {institutions[0]} organise à {place} un {action} consacré à {subject}.",
    ]
    if rng.random() < 1 / 3:
        end = date + datetime.timedelta(days=rng.randint(0, 4))
        lines += [
            f"Event: {action.capitalize()} sur {subject}",
            f"Event-Start: {date:%Y-%m-%d}",
            f"Event-End: {end:%Y-%m-%d}",
            f"Event-Location: {place}",
            f"Event-Organizers: {institutions[0]}",
        ]
    lines += [f"Slug: {slug}", "Lang: fr"]
    return f"{date:%Y}/{slug}.md", "\n".join(lines) + "\n\n" + _body(rng, context) + "\n"


def generate_archive(content, count, seed=SEED):
    """Write ``count`` articles and the institution registry into ``content``.

    The same ``count`` and ``seed`` always give the same files."""
    content = pathlib.Path(content)
    (content / "articles").mkdir(parents=True, exist_ok=True)
    shutil.copy(REGISTRY, content / DEFAULTS["INSTITUTIONS_REGISTRY"])
    acronyms = [institution.acronym for institution in Registry.load(REGISTRY)]
    rng = random.Random(seed)
    paths = []
    for number in range(1, count + 1):
        relative, text = synthetic_article(rng, number, acronyms)
        path = content / "articles" / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def publish_one_release(content, model):
    """A new release, the newest of the archive, as an officer publishes one (dated after the
    preview's new articles, which stay on the home page)."""
    path, text, _ = new_article(content, 20, model)
    path.write_text(text, encoding="utf-8")


# --- Timed builds, each in its own process ----------------------------------


def plain_settings(content, output, cache):
    """Pelican's defaults: its theme, no plugins; only what is needed to read our archive."""
    return {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(cache),
        "PLUGINS": [],
        "IGNORE_FILES": [".#*", "*.yml"],
        "TIMEZONE": DEFAULTS["TIMEZONE"],
        "DEFAULT_LANG": DEFAULTS["DEFAULT_LANG"],
        "SITEURL": "",
        "FEED_DOMAIN": "http://localhost",
    }


def cache_settings(cache, load):
    """Pelican's content cache at the reader layer: our plugins work on the Article
    objects after reading, so they still run on every build (as in pelicanconf.py)."""
    return {
        "CACHE_PATH": str(cache),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": load,
        "CONTENT_CACHING_LAYER": "reader",
    }


# What a build of our site can leave out, to weigh each part of its cost: --sans recherche,legere
WITHOUT = {
    "recherche": ("SEARCH_INDEX", "index de recherche"),
    "legere": ("LITE_EDITION", "édition légère"),
    "gzip": ("GZIP_COPIES", "copies .gz"),
}


def without(names):
    """``"recherche,legere"`` -> ("recherche", "legere"); a name not in WITHOUT is refused in French."""
    off = tuple(name.strip() for name in names.split(",") if name.strip())
    unknown = [name for name in off if name not in WITHOUT]
    if unknown:
        raise ValueError(
            f"--sans : « {', '.join(unknown)} » inconnu ; valeurs possibles : {', '.join(WITHOUT)} "
            "(séparées par des virgules)"
        )
    return off


def switched_off(off):
    """The settings overrides (site.build's keywords) that leave out what ``off`` names."""
    return {WITHOUT[name][0].lower(): False for name in off}


def left_out(off):
    return "".join(f", sans {WITHOUT[name][1]}" for name in off)


def run_build(kind, content, output, cache, load_cache, off=()):
    """Inside the child process: one build, with our project (without what ``off`` names)
    or with plain Pelican."""
    if kind == "plain":
        settings = read_settings(None, override=plain_settings(content, output, cache))
        Pelican(settings).run()
        return 0
    overrides = {"path": content, "output_path": output}
    if kind == "merge":
        return site.merge_parts("pelicanconf.py", output_path=output)
    overrides.update({k.lower(): v for k, v in cache_settings(cache, load_cache).items()})
    part = kind.removeprefix("part:") if kind.startswith("part:") else ""
    return site.build("pelicanconf.py", part=part, **overrides, **switched_off(off))


def measure(kind, content, output, cache, load_cache=False, off=()):
    """Time one build in a fresh Python process; the peak memory of that process comes from wait4,
    the peak of its whole tree from sampling /proc."""
    command = [
        sys.executable,
        "-m",
        "pressroom.tools.bench",
        kind,
        str(content),
        str(output),
        str(cache),
        "1" if load_cache else "0",
        ",".join(off),
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with treememory.TreePeak(child.pid) as tree:
        log = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise BuildFailed(f"la construction « {kind} » a échoué :\n{log.decode(errors='replace')}")
    # ru_maxrss is in KiB on Linux; the times count every process of the build that it waited for
    return Measure(seconds, usage.ru_maxrss / 1024, tree.mib, usage.ru_utime + usage.ru_stime)


# --- Typography alone, on one long paragraph ---------------------------------------

TYPOGRAPHY_SIZES = ((100_000, "100 Ko"), (1_000_000, "1 Mo"), (3_000_000, "3 Mo"))
# French text with every trigger of the rules (quotes, punctuation, numbers, units, a URL) and a run
# of no-break spaces, the case that once made typography quadratic.
TYPOGRAPHY_SAMPLE = (
    'La CMSS annonce : "l\'atelier" du 1er juillet à 15h30 réunit 10 000 délégués ; 12% de plus ! '
    "Voir https://www.cmss.example.ml/atelier?x=1 ou écrire à presse@cmss.example.ml ?" + "\u00a0" * 200 + " "
)


def typography_text(size):
    """One paragraph of about ``size`` characters."""
    return "<p>" + (TYPOGRAPHY_SAMPLE * (size // len(TYPOGRAPHY_SAMPLE) + 1))[:size] + "</p>"


def typography_times(out=sys.stdout):
    """Time the typography plugin (loaded by Pelican, as a build does) on one paragraph of each
    size of TYPOGRAPHY_SIZES; print each time and its growth against the previous size."""
    (typography,) = engine.load_plugins({"PLUGIN_PATHS": [str(ROOT / "plugins")], "PLUGINS": ["typography"]})
    times = []
    for size, label in TYPOGRAPHY_SIZES:
        text = typography_text(size)
        started = time.perf_counter()
        typography.typeset(text)
        times.append((size, label, time.perf_counter() - started))
    parts = [f"{times[0][1]} en {times[0][2]:.3f} s"]
    for (size, label, seconds), (previous_size, _, previous) in zip(times[1:], times):
        parts.append(f"{label} en {seconds:.3f} s (×{seconds / previous:.1f} pour ×{size / previous_size:g})")
    print("Typographie d'un paragraphe : " + ", ".join(parts), file=out, flush=True)
    return times


def year_ranges(content, count):
    """The archive's years (its article folders) in ``count`` ranges of as many years; the last
    one open to the years to come (the new release)."""
    years = sorted(int(p.name) for p in (pathlib.Path(content) / "articles").iterdir() if p.name.isdigit())
    size = -(-len(years) // count)
    ranges = [years[i : i + size] for i in range(0, len(years), size)]
    return [f"{r[0]}-{r[-1] if i < len(ranges) - 1 else 2099}" for i, r in enumerate(ranges)]


def split_lines(content, folder, count, whole, model, off=()):
    """Each part of a split build (``count`` ranges of years and the common part) timed as a job of
    its own (no cache: a fresh CI runner), then their merge; then, after one more new release, every
    part again (a new release may change an older year's related releases, and the merge takes only
    parts of one content) as a publication builds it: every source read afresh, the search shards
    of the years that did not change taken from the job's cache; and the merge. The lines of the
    report."""
    split, names = folder / "split", [*year_ranges(content, count), "communes"]
    lines = [f"Construction découpée ({count} tranches d'années et les pages communes, chaque partie sans cache, "
             "comme un job de la forge) :"]  # fmt: skip
    lines += parts_then_merge(content, split, names, whole, off)
    path, text, _ = new_article(content, 21, model)
    path.write_text(text, encoding="utf-8")
    lines.append("Après un nouveau communiqué, chaque partie à nouveau (sources relues, recherche en cache) :")
    lines += parts_then_merge(content, split, names, whole, off)
    shutil.rmtree(split, ignore_errors=True)  # a previous output may still be going in the background
    return lines


def parts_then_merge(content, split, names, whole, off):
    """Build each part named, each with its own cache under ``split``, then merge them: a line for
    each, and the split build's time when its parts run side by side (the longest, then the merge)."""
    timed = [(name, measure(f"part:{name}", content, split / "output", split / f"cache-{name}", False, off))
             for name in names]  # fmt: skip
    merged = measure("merge", content, split / "output", split / "cache-fusion")
    total = max(part.seconds for _, part in timed) + merged.seconds
    return [f"  {name} : {part.seconds:.2f} s ({part.described()})" for name, part in timed] + [
        f"  fusion : {merged.seconds:.2f} s ; la partie la plus longue puis la fusion {total:.2f} s, "
        f"{total / whole:.0%} de la construction complète ({whole:.2f} s)"
    ]


def bench(count, workdir=None, out=sys.stdout, trials=3, edits=5, off=(), split=0):
    """Time typography alone; generate the archive; time ``trials`` alternated pairs of full builds
    (ours without what ``off`` names), a rebuild after a new release and, unless
    ``edits`` is 0, the preview server; print the report."""
    typography_times(out)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=workdir) as folder:
        folder = pathlib.Path(folder)
        print(f"Génération de {count} articles dans {folder}…", file=out, flush=True)
        content = folder / "content"
        paths = generate_archive(content, count)
        pairs = []
        for number in range(1, trials + 1):
            plain = measure("plain", content, folder / "plain", folder / f"plain-cache-{number}")
            plain.output = output_size(folder / "plain")
            full = measure("full", content, folder / "full", folder / "cache", off=off)
            full.output = output_size(folder / "full")
            pairs.append(Trial(plain, full))
            print(
                f"Essai {number} : rapport {pairs[-1].ratio:.2f} (Pelican seul {plain.seconds:.2f} s, "
                f"{plain.described()} ; site complet {full.seconds:.2f} s, {full.described()})",
                file=out,
                flush=True,
            )
            shutil.rmtree(folder / "plain")
            if number < trials:  # the last one's output and cache are the rebuild's
                shutil.rmtree(folder / "full")  # both builds start from no output, untimed
                shutil.rmtree(folder / "cache")
        publish_one_release(content, paths[len(paths) // 2])
        rebuild = measure("full", content, folder / "full", folder / "cache", load_cache=True, off=off)
        shutil.rmtree(folder / "full")
        preview = edits and measure_preview(content, folder / "apercu", folder / "apercu-cache", paths, edits)
        # Option A rebuilds the whole site at each save: measured on small archives only, where it already
        # misses the preview's figures by far (docs/architecture.md), not for minutes more at 10,000.
        public = (
            edits
            and count <= PUBLIC_PREVIEW_LARGEST
            and measure_public_preview(content, folder / "public", folder / "public-cache", edits)
        )
        report = Report(count, pairs, rebuild, preview or None, public or None, off)
        lines = report.lines()
        if split:
            lines += split_lines(content, folder, split, report.full.seconds, paths[len(paths) // 3], off)
        for line in lines + related_lines(sorted({count, RELATED_LARGEST})):
            print(line, file=out, flush=True)
        return report


# --- Related releases, timed alone at the bench's sizes ----------------------------------

RELATED_LARGEST = 10_000  # the archive the issue asks to stay linear at


def synthetic_records(count, seed=SEED):
    """Objects with what pressroom.content.related reads of an article (date, institutions, tags, event),
    drawn like the synthetic archive's articles, without writing or building anything."""
    rng = random.Random(seed)
    acronyms = [institution.acronym for institution in Registry.load(REGISTRY)]
    records = []
    for _ in range(count):
        date = datetime.datetime(2012, 1, 1, 9) + datetime.timedelta(days=rng.randrange(14 * 365))
        event = f"{rng.choice(ACTIONS)} sur {rng.choice(SUBJECTS)}" if rng.random() < 1 / 3 else ""
        records.append(
            types.SimpleNamespace(
                date=date,
                institutions=[types.SimpleNamespace(acronym=a) for a in rng.sample(acronyms, rng.randint(1, 3))],
                tags=rng.sample(THEMES, rng.randint(1, 4)),
                metadata={"event": event},
            )
        )
    return records


def related_lines(sizes):
    """One line per size: the processor time of the related releases of that many articles."""
    lines = []
    for count in sizes:
        records = synthetic_records(count)
        start = time.process_time()
        related.related_releases(records)
        seconds = time.process_time() - start
        lines.append(
            f"Communiqués liés ({count} articles, un passage) : {seconds:.2f} s de processeur, "
            f"{seconds / count * 1e6:.0f} µs par article"
        )
    return lines


# --- The preview server, timed from the outside --------------------------------------

READY, SETTLED = preview.SERVED, preview.SEARCH_WHOLE  # the search index as well: an officer's pace
POLL = 0.005
PUBLIC_PREVIEW_LARGEST = 1000  # option A is measured up to this many articles
PUBLIC_SAVE = "Enregistrement"  # option A's line for each save (run_public_preview)


class PreviewProcess:
    """`make serve` on the benchmark's archive, in its own process; its messages are read
    line by line by a thread, so that the benchmark can wait for one."""

    def __init__(self, content, output, cache):
        command = [
            sys.executable,
            "-m",
            "pressroom.tools.bench",
            "preview",
            str(content),
            str(output),
            str(cache),
            "0",
            "1",
        ]
        self.child = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8"
        )
        self.lines, self.log = queue.Queue(), []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.child.stdout:
            self.lines.put(line)

    def wait_for(self, start, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise BuildFailed(f"l'aperçu n'a pas écrit « {start} » :\n{''.join(self.log)}") from None
            self.log.append(line)
            if line.startswith(start):
                return line
            if self.child.poll() is not None and self.lines.empty():
                raise BuildFailed(f"l'aperçu s'est arrêté :\n{''.join(self.log)}")

    def stop(self):
        self.child.terminate()
        self.child.wait()


def output_page(source, output):
    """Where the article of ``source`` is written (ARTICLE_SAVE_AS of pelicanconf.py)."""
    header = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    date = datetime.datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M")
    return pathlib.Path(output) / f"{date:%Y}" / f"{date:%m}" / fields["Slug"] / "index.html"


def wait_until_written(page, marker, timeout=120):
    """Seconds until ``page`` holds ``marker``, polled."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if marker in page.read_text(encoding="utf-8"):
                return time.perf_counter() - started
        except FileNotFoundError:
            pass
        time.sleep(POLL)
    raise BuildFailed(f"{page} n'a pas reçu la modification en {timeout} s")


def new_article(content, number, model):
    """A new article, the newest of the archive, whose title holds a marker."""
    marker = f"temoin{number}apercu"
    text = model.read_text(encoding="utf-8")
    text = re.sub(r"^Title: .*$", f"Title: Nouvel article {marker}", text, flags=re.M)
    text = re.sub(r"^Slug: .*$", f"Slug: nouvel-article-{marker}", text, flags=re.M)
    text = re.sub(r"^Date: .*$", f"Date: 2026-01-{number + 1:02d} 08:00", text, flags=re.M)
    text = re.sub(r"^Event.*\n", "", text, flags=re.M)
    path = pathlib.Path(content) / "articles" / "2026" / f"nouvel-article-{marker}.md"
    path.parent.mkdir(exist_ok=True)
    return path, text, marker


def measure_preview(content, output, cache, paths, edits, settle=600):
    """Start the preview server, then time ``edits`` edits of existing articles and as many
    new articles, each from the save to the page on disk (the home page for a new one)."""
    started = time.perf_counter()
    server = PreviewProcess(content, output, cache)
    try:
        server.wait_for(READY, timeout=settle)
        startup = time.perf_counter() - started
        server.wait_for(SETTLED, timeout=settle)  # the first search index, as after a start
        edited = []
        for number in range(edits):
            source = paths[(number + 1) * len(paths) // (edits + 2)]
            marker = f"repere{number}apercu"
            with open(source, "a", encoding="utf-8") as handle:
                handle.write(f"\nPrécision {marker}.\n")
            edited.append(wait_until_written(output_page(source, output), marker))
            server.wait_for(SETTLED, timeout=settle)
        added = []
        for number in range(edits):
            path, text, marker = new_article(content, number, paths[number])
            path.write_text(text, encoding="utf-8")
            added.append(wait_until_written(pathlib.Path(output) / "index.html", marker))
            server.wait_for(SETTLED, timeout=settle)
    finally:
        server.stop()
    return PreviewMeasure(startup, edited, added)


# --- Option A: the preview on Pelican's public API alone ---------------------------------


def run_public_preview(content, output, cache, edits):
    """Inside the child process: one Pelican kept, run again after each save as
    ``pelican --autoreload`` runs it, with the reader cache and ``WRITE_SELECTED`` (only the page
    waited for is written by Pelican's writer); the same saves as ``measure_preview``. Prints one
    line per save: its kind and the seconds from the save to the page on disk."""
    settings = preview.preview_settings(
        path=content, output_path=output, **{k.lower(): v for k, v in cache_settings(cache, True).items()}
    )
    settings["CACHE_PATH"] = cache
    pelican = Pelican(settings)
    pelican.run()
    print(READY, flush=True)
    paths = sorted(pathlib.Path(content, "articles").rglob("*.md"))
    saves = []
    for number in range(edits):
        source = paths[(number + 1) * len(paths) // (edits + 2)]
        marker = f"repere{number}public"
        saves.append(("modifié", output_page(source, output), marker, source, source.read_text("utf-8") + marker))
    for number in range(edits):
        path, text, marker = new_article(content, edits + number, paths[number])  # not the ones option B added
        saves.append(("nouveau", pathlib.Path(output) / "index.html", marker, path, text))
    for kind, page, marker, source, text in saves:
        source.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        pelican.settings["WRITE_SELECTED"] = [os.path.abspath(page)]
        pelican.run()
        if marker not in page.read_text(encoding="utf-8"):
            raise BuildFailed(f"{page} n'a pas reçu la modification")
        print(f"{PUBLIC_SAVE} {kind} {time.perf_counter() - started:.3f}", flush=True)
    return 0


def measure_public_preview(content, output, cache, edits, settle=1200):
    """Option A from the parent: the child's seconds per save, as a PreviewMeasure."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "pressroom.tools.bench", "public", str(content), str(output), str(cache)]
    command.append(str(edits))
    child = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=settle, check=False)
    if child.returncode:
        raise BuildFailed(f"l'aperçu sur l'API publique a échoué :\n{child.stdout}{child.stderr}")
    saves = [line.split() for line in child.stdout.splitlines() if line.startswith(PUBLIC_SAVE)]
    edited = [float(seconds) for _, kind, seconds in saves if kind == "modifié"]
    added = [float(seconds) for _, kind, seconds in saves if kind == "nouveau"]
    return PreviewMeasure(time.perf_counter() - started - sum(edited) - sum(added), edited, added)


def run_preview(content, output, cache):
    """Inside the child process: the preview server on a free port."""
    return preview.serve("pelicanconf.py", port=0, out=sys.stdout, path=content, output_path=output, cache_path=cache)


# --- Where the time goes -------------------------------------------------------


def owner(filename):
    """Which part of our code a profiled function belongs to, or None for Pelican and libraries."""
    try:
        parts = pathlib.Path(filename).resolve().relative_to(ROOT).parts
    except ValueError:
        return None
    if parts[0] == "plugins":
        return f"plugins/{parts[1]}"
    if parts[0] == "theme":
        return "theme/templates"
    if parts[0] == "pressroom" and parts[-1] not in ("site.py", "bench.py"):
        return "/".join(parts)
    return None


def time_by_owner(stats):
    """Seconds spent in each part of our code, counted where it is entered from outside
    (a signal handler, a template render, a filter), so nested calls count once."""
    seconds = collections.Counter()
    for function, (_, _, _, _, callers) in stats.stats.items():
        mine = owner(function[0])
        if mine is None:
            continue
        for caller, (_, _, _, cumulative) in callers.items():
            if owner(caller[0]) != mine:
                seconds[mine] += cumulative
    return seconds


def profile(count, workdir=None, out=sys.stdout, top=12, off=()):
    """Build a synthetic archive of ``count`` articles under cProfile; print the cost of each
    plugin, of the templates and of pressroom, then Pelican's and our costliest functions.
    A part's time includes what it calls, so a plugin calling pressroom/build/lint.py counts it too."""
    with tempfile.TemporaryDirectory(prefix="profile-", dir=workdir) as folder:
        folder = pathlib.Path(folder)
        generate_archive(folder / "content", count)
        profiler, messages = cProfile.Profile(), io.StringIO()
        started = time.perf_counter()
        status = profiler.runcall(
            site.build,
            "pelicanconf.py",
            out=messages,
            path=folder / "content",
            output_path=folder / "output",
            cache_path=folder / "cache",
            **switched_off(off),
        )
        total = time.perf_counter() - started
        if status:
            raise BuildFailed(f"la construction profilée a échoué :\n{messages.getvalue()}")
        stats = pstats.Stats(profiler)
        stats.dump_stats(folder.parent / f"pressroom-{count}.prof")
    print(
        f"Construction profilée de {count} articles : {total:.2f} s "
        f"(détail : {folder.parent / f'pressroom-{count}.prof'})",
        file=out,
    )
    for name, seconds in time_by_owner(stats).most_common():
        print(f"  {name:<40} {seconds:6.2f} s  {seconds / total:4.0%}", file=out)
    print("Fonctions les plus coûteuses (temps propre) :", file=out)
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    return stats


if __name__ == "__main__":
    kind, content, output, cache, *rest = sys.argv[1:]
    if kind == "preview":
        sys.exit(run_preview(content, output, cache))
    if kind == "public":
        sys.exit(run_public_preview(content, output, cache, int(rest[0])))
    load, off = rest
    sys.exit(run_build(kind, content, output, cache, load == "1", tuple(filter(None, off.split(",")))))
