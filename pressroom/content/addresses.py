"""The addresses of the articles once published, kept in a committed list
(``content/adresses-publiees.txt``), so that a published address never breaks.

One line per address: the article's URL (relative to the site) and, after a
tab, the source file that was published there (relative to ``content/``).
The ``redirects`` plugin writes, at every listed address that the article
no longer has, a page that sends readers on to its current address, and
writes the list with the addresses of this build added to the output;
``invoke publish`` brings that list back into ``content/`` once the site is
online; ``invoke lint`` refuses a published article's file that disappeared
without a redirect target (``Redirect-From`` on the article that replaces it).
"""

import dataclasses
import os
import posixpath
import subprocess
import sys
import tempfile

from pressroom.content import kinds, schema
from pressroom.content.problems import Problem, field_line
from pressroom.settings import DEFAULTS, setting

HEADER = (
    "# Adresses publiées : tenu à jour par `invoke publish`, à enregistrer avec git.\n"
    "# Une ligne par adresse : adresse<TAB>fichier source publié à cette adresse (dans content/).\n"
)


@dataclasses.dataclass(frozen=True)
class Entry:
    url: str
    source: str
    line: int = dataclasses.field(default=0, compare=False)


def list_name(settings):
    return setting(settings, "PUBLISHED_URLS_FILE")


def list_path(settings):
    return os.path.join(settings["PATH"], list_name(settings))


def read_entries(path):
    """The entries of a list file; none if the file does not exist yet."""
    try:
        with open(path, encoding="utf-8") as listing:
            return read_entries_text(listing.read())
    except FileNotFoundError:
        return []


def read_entries_text(text):
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        url, tab, source = line.partition("\t")
        if line.startswith("#") or not tab or not url.strip():
            continue
        entries.append(Entry(url.strip(), source.strip(), number))
    return entries


def listing_problems(settings):
    """A line of the list that is not a canonical address (``../``, ``/etc/``, ``a//b``) or whose
    source leaves the content folder: the list is written by `invoke publish`, never by hand."""
    path = list_path(settings)
    problems = []
    for entry in read_entries(path):
        source = posixpath.normpath(entry.source) if entry.source else ""
        if not kinds.ADDRESS_PATTERN.match(entry.url):  # as Redirect-From: never ``..``, ``/x`` or ``a//b``
            message = f"adresse invalide « {entry.url} » : seules les adresses du site (2024/10/titre/) sont admises"
        elif not source or source.startswith(("../", "/")) or source != entry.source:
            message = f"fichier source invalide « {entry.source} » : il doit être un fichier de content/"
        else:
            continue
        problems.append(
            Problem(list_name(settings), "Adresse", message, "supprimez ou corrigez cette ligne", entry.line)
        )
    return problems


def canonical_entries(settings):
    """The entries of the list that ``listing_problems`` accepts."""
    refused = {problem.line for problem in listing_problems(settings)}
    return [entry for entry in read_entries(list_path(settings)) if entry.line not in refused]


def format_entries(entries):
    return HEADER + "".join(f"{entry.url}\t{entry.source}\n" for entry in entries)


def merged(known, current):
    """``known`` followed by the entries of ``current`` it does not hold yet."""
    seen = set(known)
    return list(known) + [entry for entry in current if entry not in seen and not seen.add(entry)]


def normalize_url(url):
    """A site-relative address as Pelican writes it: ``2024/10/slug/``."""
    return url.strip().lstrip("/")


def save_as(url):
    """The output file of an address: ``2024/10/slug/`` -> ``2024/10/slug/index.html``."""
    url = normalize_url(url)
    return url + "index.html" if not url or url.endswith("/") else url


def redirect_targets(articles):
    """Old address -> article, from the articles' Redirect-From fields."""
    targets = {}
    for article in articles:
        for url in redirect_urls(article):
            targets[url] = article
    return targets


def record_published(settings, output):
    """After a publication: bring the list the build wrote into ``output`` back to content/.
    Returns how many addresses were added."""
    built = os.path.join(output, list_name(settings))
    if not os.path.exists(built):
        return 0
    path = list_path(settings)
    known, published = read_entries(path), read_entries(built)
    entries = merged(known, published)
    if len(entries) == len(known):
        return 0
    with open(path, "w", encoding="utf-8") as listing:
        listing.write(format_entries(entries))
    return len(entries) - len(known)


# --- The address table: everything the build would write, checked before it writes ------------


@dataclasses.dataclass(frozen=True)
class Claim:
    """An output file that something would write, or a whole folder (``save_as`` ending with a
    slash) that a generator of the site fills. ``path`` is the file to change (a source, the
    list of published addresses), ``field`` the field to change in it; a generator has neither."""

    save_as: str
    owner: str  # as the officer reads it: « articles/2024/x.md », « la page de recherche »
    path: str = ""
    field: str = ""
    line: int = 0
    target: object = dataclasses.field(default=None, compare=False)  # a redirect's article

    @property
    def url(self):
        """The address as readers see it; a file copied as it is shows its own name."""
        return self.save_as if self.field == "fichier" else self.save_as.removesuffix("index.html") or "/"


# Files the site's generators write (setting -> what it is), and folders they fill.
GENERATED_FILES = {
    "INDEX_SAVE_AS": "la page d'accueil",
    "SEARCH_SAVE_AS": "la page de recherche",
    "CATEGORIES_SAVE_AS": "la liste des types de communiqué",
    "TAGS_SAVE_AS": "la liste des thèmes",
    "AUTHORS_SAVE_AS": "la liste des auteurs",
    "ARCHIVES_SAVE_AS": "les archives",
    "FEED_ALL_ATOM": "le flux Atom de tous les articles",
    "FEED_ALL_RSS": "le flux RSS de tous les articles",
    "FEED_ATOM": "le flux Atom",
    "FEED_RSS": "le flux RSS",
    "INSTITUTIONS_SAVE_AS": "la liste des institutions",
    "CONTACTS_SAVE_AS": "la page des contacts presse",
    "AGENDA_SAVE_AS": "l'agenda",
    "EVENTS_ICS_ALL": "le calendrier de tous les événements",
    "SEO_SITEMAP_SAVE_AS": "le plan du site",
    "SEO_ROBOTS_SAVE_AS": "le fichier robots.txt",
    "MEDIA_SITE_SHARE_IMAGE": "l'image de partage du site",
    "PUBLISHED_URLS_FILE": "la liste des adresses publiées",
    "OUTPUT_MANIFEST": "le manifeste de la construction",
    "SEARCH_STATUS_SAVE_AS": "l'état de l'index de recherche",
}
GENERATED_FOLDERS = {
    "CATEGORY_SAVE_AS": "les pages des types de communiqué",
    "TAG_SAVE_AS": "les pages des thèmes",
    "AUTHOR_SAVE_AS": "les pages des auteurs",
    "YEAR_ARCHIVE_SAVE_AS": "les archives par année",
    "INSTITUTION_SAVE_AS": "les pages des institutions",
    "INSTITUTION_FEED_ATOM": "les flux des institutions",
    "CATEGORY_FEED_ATOM": "les flux des types de communiqué",
    "TAG_FEED_ATOM": "les flux des thèmes",
    "AGENDA_MONTH_SAVE_AS": "l'agenda de chaque mois",
    "EVENTS_ICS_INSTITUTION": "les calendriers des institutions",
    "EVENT_ICS": "les calendriers des événements",
    "MEDIA_PHOTOS_URL": "les variantes des photos",
    "SEARCH_OUTPUT_SUBDIR": "l'index de recherche",
    "THEME_STATIC_DIR": "les fichiers du thème",
    "EDITOR_SAVE_AS": "l'éditeur en ligne",
}


def _value(settings, name):
    value = settings.get(name, DEFAULTS.get(name))
    return str(value).lstrip("/") if value else ""


def folder_of(pattern):
    """The fixed folder a pattern writes into: ``categories/{slug}/index.html`` -> ``categories/``."""
    fixed = pattern.split("{")[0] if "{" in pattern else pattern.rstrip("/") + "/"
    folder = fixed.rpartition("/")[0]
    return folder + "/" if folder else ""


def generated_claims(settings):
    """What the site's own generators write, from the settings: pages, feeds, calendars, folders."""
    claims = []
    for name in settings.get("DIRECT_TEMPLATES", ()):
        key = f"{name.upper()}_SAVE_AS"
        save_as = settings.get(key, f"{name}.html")
        if save_as:
            claims.append(Claim(save_as, GENERATED_FILES.get(key, f"la page « {name} »")))
    for save_as in settings.get("TEMPLATE_PAGES", {}).values():
        claims.append(Claim(save_as, f"la page {save_as}"))
    for key, label in GENERATED_FILES.items():
        save_as = _value(settings, key)
        if save_as and "{" not in save_as:
            claims.append(Claim(save_as, label))
    for key, label in GENERATED_FOLDERS.items():
        folder = folder_of(_value(settings, key))
        if folder:
            claims.append(Claim(folder, f"{label} (dossier {folder})"))
    for _, _, save_as in settings.get("PAGINATION_PATTERNS", ())[1:]:
        folder = folder_of(save_as.format(base_name="", number="{number}").lstrip("/"))
        if folder:
            claims.append(Claim(folder, f"les pages suivantes de l'accueil (dossier {folder})"))
    return claims


def source_key(content, root):
    return os.path.relpath(content.source_path, root).replace(os.sep, "/")


def content_claims(contents, root):
    """The address of each content that is written (a draft is not)."""
    claims = []
    for content in contents:
        save_as = content.save_as  # formatted anew at each access
        if save_as:
            field = "Slug" if schema.fields_of(content).slug else "Title"
            claims.append(Claim(save_as, source_key(content, root), content.source_path, field, target=content))
    return claims


def static_claims(save_as_by_source, root):
    """Files copied as they are: {source path: output path}."""
    return [
        Claim(save_as, source_key_of(source, root), source, "fichier")
        for source, save_as in sorted(save_as_by_source.items())
    ]


def source_key_of(path, root):
    return os.path.relpath(path, root).replace(os.sep, "/") if os.path.isabs(path) else path


def redirect_claims(articles, entries, settings):
    """The pages that send readers on: at every listed address whose article now lives elsewhere
    (the list's line), and at every address an article names in Redirect-From."""
    root = settings["PATH"]
    by_source = {source_key(article, root): article for article in articles}
    claims = []
    for entry in entries:
        article = by_source.get(entry.source)
        if article is not None and normalize_url(article.url) != entry.url:
            owner = f"l'ancienne adresse de {entry.source}{institutions_of(article)}"
            claims.append(Claim(save_as(entry.url), owner, list_path(settings), "Adresse", entry.line, article))
    for article in articles:
        for url in redirect_urls(article):
            if url == normalize_url(article.url):
                continue
            owner = f"le Redirect-From de {source_key(article, root)}{institutions_of(article)}"
            claims.append(Claim(save_as(url), owner, article.source_path, "Redirect-From", target=article))
    return claims


def institutions_of(article):
    names = ", ".join(schema.fields_of(article).institutions)
    return f" ({names})" if names else ""


def redirect_urls(article):
    return [normalize_url(url) for url in schema.fields_of(article).redirect_from]


# Who keeps an address when two claim it: the site's generators, then the published addresses (a
# published address never changes hands), the contents, the redirects they ask for, the files.
PRECEDENCE = ("", "Adresse", "Save_as", "Slug", "Title", "Redirect-From", "fichier")


def clashes(claims):
    """(claim, earlier claim) for each claim whose file another one writes, or which lies in a folder
    the site fills; of two claims, the one later in PRECEDENCE (then in the order given) is the one
    to change. A redirect to the article that holds the address, or to the same article as another
    redirect there, is no clash."""
    files, folders, found = {}, [], []
    for claim in sorted(claims, key=lambda c: PRECEDENCE.index(c.field)):
        key = posixpath.normpath(claim.save_as) + ("/" if claim.save_as.endswith("/") else "")
        earlier = files.get(key) or next((f for f in folders if key.startswith(f.save_as)), None)
        if earlier is None:
            if key.endswith("/"):
                folders.append(claim)
            else:
                files[key] = claim
        elif not claim.path:
            continue  # the generators' own files and folders overlap by design (agenda/index.html)
        elif claim.target is None or earlier.target is not claim.target:
            found.append((claim, earlier))
    return found


HINTS = {
    "Save_as": "supprimez cette ligne : l'adresse d'une page se règle seulement avec Slug",
    "Slug": "donnez un autre Slug",
    "Title": "ajoutez une ligne Slug: avec une autre adresse",
    "Redirect-From": "retirez cette adresse du champ Redirect-From",
    "Adresse": "supprimez cette ligne de la liste",
    "fichier": "renommez ce fichier ou placez-le dans un autre dossier",
}


def clash_problem(claim, earlier, root):
    """The claim to change, naming the other side."""
    shown = os.path.relpath(claim.path, root) if os.path.isabs(claim.path) else claim.path
    if not earlier.path:
        message = f"adresse {claim.url} réservée au site : {earlier.owner}"
    elif earlier.field == "Adresse":
        message = f"adresse {claim.url} déjà publiée : c'est {earlier.owner}, qui doit continuer à y mener"
    else:
        message = f"même adresse ({claim.url}) que {earlier.owner} : l'un écraserait l'autre"
    line = claim.line or (field_line(claim.path, claim.field) if claim.field != "fichier" else 0)
    return Problem(shown, claim.field, message, HINTS[claim.field], line)


def table_problems(claims, root):
    return [clash_problem(claim, earlier, root) for claim, earlier in clashes(claims)]


def build_claims(settings, contents, published, statics):
    """Every claim of one build: the generators', the published addresses whose article moved, each
    content's, the redirects the published articles ask for, and the files copied as they are
    ({source path: output path})."""
    root = settings["PATH"]
    contents = sorted(contents, key=lambda content: content.source_path)
    return (
        generated_claims(settings)
        + content_claims(contents, root)
        + redirect_claims(published, canonical_entries(settings), settings)
        + static_claims(statics, root)
    )


def check_table(settings, contents, published, statics):
    """The problems of the list of published addresses and of the address table, for lint and build."""
    claims = build_claims(settings, contents, published, statics)
    return listing_problems(settings) + table_problems(claims, settings["PATH"])


def redirects(settings, published):
    """Old address -> article, for every redirect page the build writes (the table was checked)."""
    found = {}
    for claim in redirect_claims(published, canonical_entries(settings), settings):
        found.setdefault(normalize_url(claim.url), claim.target)
    return found


# --- Recording the list in the forge (the publication job) -----------------------

COMMIT_MESSAGE = "Published addresses recorded by the publication"
COMMITTER = ["-c", "user.name=Publication automatique", "-c", "user.email=publication@pressroom.invalid"]


def _git(root, *args):
    return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True, check=False)


def commit_published(settings, root, published, remote="origin", branch="main", out=sys.stderr, attempts=3):
    """Commit the ``published`` list (the one online, copied from the server) and push it to ``branch``,
    merged with whatever the branch holds meanwhile (in a temporary worktree, never in ``root``'s own
    files). Returns an exit status; French messages on ``out``."""
    relative = os.path.relpath(list_path(settings), root)
    ours = read_entries(published)
    for _ in range(attempts):
        fetched = _git(root, "fetch", "--quiet", remote, branch)
        if fetched.returncode:
            print(
                f"Adresses publiées non enregistrées : dépôt {remote} injoignable ({fetched.stderr.strip()})", file=out
            )
            return 1
        with tempfile.TemporaryDirectory(prefix="adresses-") as private:
            worktree = os.path.join(private, "depot")
            _git(root, "worktree", "add", "--quiet", "--detach", worktree, "FETCH_HEAD")
            try:
                status = _commit_and_push(worktree, relative, ours, remote, branch)
            finally:
                _git(root, "worktree", "remove", "--force", worktree)
        if status == "rien":
            print("Adresses publiées : déjà enregistrées, rien à envoyer.", file=out)
            return 0
        if status == "envoyé":
            print(f"Adresses publiées enregistrées sur {branch} ({relative}).", file=out)
            return 0
        last_error = status
    print(
        f"Adresses publiées non enregistrées : push refusé sur {branch} ({last_error}) — si la branche est "
        "protégée, autorisez-y le compte de publication (voir docs/exploitation.md) ; sans cela une adresse "
        "changée ne sera pas redirigée",
        file=out,
    )
    return 1


def _commit_and_push(worktree, relative, ours, remote, branch):
    target = os.path.join(worktree, relative)
    theirs = read_entries(target)
    entries = merged(theirs, ours)
    if len(entries) == len(theirs):
        return "rien"
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as listing:
        listing.write(format_entries(entries))
    _git(worktree, "add", relative)
    committed = _git(worktree, *COMMITTER, "commit", "--quiet", "-m", COMMIT_MESSAGE)
    if committed.returncode:
        return committed.stderr.strip() or committed.stdout.strip()
    pushed = _git(worktree, "push", "--quiet", remote, f"HEAD:refs/heads/{branch}")
    return "envoyé" if pushed.returncode == 0 else pushed.stderr.strip()
