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
import subprocess
import sys
import tempfile

from .settings import setting

REDIRECT_FIELD = "redirect-from"  # Redirect-From: the old addresses an article takes over
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
        entries.append(Entry(normalize_url(url), source.strip(), number))
    return entries


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
        value = article.metadata.get(REDIRECT_FIELD, "")
        for url in value if isinstance(value, (list, tuple)) else str(value).split(","):
            if url.strip():
                targets[normalize_url(url)] = article
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
