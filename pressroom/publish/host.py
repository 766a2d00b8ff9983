"""Production build (publishconf.py) and its deployment by rsync to the
host and path named by the PUBLISH_DEST environment variable.

Publishing never ships what it did not build for production: it builds with
``publishconf.py`` (``PREVIEW`` off, the real ``SITEURL``) into a private
temporary folder, never from ``output/``, while holding the tree's lock. It
refuses, in French, a missing or local ``SITEURL``, a destination that is
the repository or one of its parents, a destination that a first publish
(``--init``) has not marked, and the deletion of more than a tenth of the
destination's files (``--force``). rsync replaces the files only once all
are sent (``--delay-updates --delete-after``).

It sends exactly the files of the build's manifest (``OUTPUT_MANIFEST``, written
by the manifest plugin), never a link: the private folder is checked first (a
symbolic link, a file the manifest does not list, or one it lists that is missing
refuses the publication), and rsync copies no link (``--no-links``, never
``--copy-links``) and leaves the manifest, which names the sources, out. Why not
``--files-from``: with it, rsync would no longer delete at the destination the
files of articles since withdrawn from the site.
"""

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

from pressroom.build import searchindex, site, treelock
from pressroom.build.output import files_and_links
from pressroom.content import addresses
from pressroom.publish import outbox
from pressroom.settings import setting

DESTINATION_VARIABLE = "PUBLISH_DEST"
SITEURL_VARIABLE = "SITEURL"
MARKER = ".site-pressroom"
MARKER_TEXT = (
    "Ce dossier reçoit le site publié par `invoke publish` (pressroom).\n"
    "Ne supprimez pas ce fichier : sans lui, la publication refuse d'écrire ici.\n"
)
MAX_DELETED_SHARE = 0.10
RSYNC_MISSING_FILE = 23
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


class PublishError(Exception):
    """A refusal; the message is French and says how to go on."""


def destination(environ=os.environ):
    """Where to copy the site, e.g. ``user@host:/var/www/site/``; never stored in the repository."""
    value = environ.get(DESTINATION_VARIABLE, "").strip()
    if not value:
        raise PublishError(
            f"variable d'environnement {DESTINATION_VARIABLE} absente — indiquez la destination, par exemple : "
            f"{DESTINATION_VARIABLE}=utilisateur@serveur:/var/www/site/ invoke publish"
        )
    return value


def check_siteurl(settings):
    """The production address must be given (no placeholder) and must not be this machine."""
    url = str(settings.get("SITEURL") or "").strip()
    if not url:
        raise PublishError(
            f"variable d'environnement {SITEURL_VARIABLE} absente — donnez l'adresse publique du site, "
            f"par exemple {SITEURL_VARIABLE}=https://communiques.exemple.org"
        )
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname or parsed.hostname in LOCAL_HOSTS:
        raise PublishError(
            f"{SITEURL_VARIABLE}={url} n'est pas une adresse publique — écrivez l'adresse du site en ligne, "
            "commençant par https://"
        )


# --- Where the site goes ----------------------------------------------------


def is_remote(dest):
    """rsync's rule: a colon before the first slash names a host (``host:path``, ``host::module``)."""
    return dest.startswith("rsync://") or ":" in dest.split("/", 1)[0]


def _contains(folder, path):
    """Whether ``folder`` is ``path`` or one of its parents."""
    return path == folder or path.startswith(os.path.join(folder, ""))


def check_place(dest, settings, cwd=None):
    """Refuse a destination that would overwrite the repository, a parent of it, or a whole disk/home."""
    hint = "indiquez le dossier du site sur le serveur, par exemple utilisateur@serveur:/var/www/site/"
    if is_remote(dest):
        remote_path = dest.split(":", 1)[1].lstrip(":") if not dest.startswith("rsync://") else dest
        if remote_path.strip().rstrip("/") in ("", ".", "~", "/"):
            raise PublishError(f"destination « {dest} » : dossier personnel ou racine du serveur — {hint}")
        return
    place = os.path.realpath(os.path.expanduser(dest))
    protected = {
        os.path.realpath(site.ROOT),
        os.path.realpath(cwd or os.getcwd()),
        os.path.realpath(settings["PATH"]),
        os.path.realpath(os.path.dirname(os.path.abspath(settings["OUTPUT_PATH"]))),
    }
    if place == os.path.sep or any(_contains(place, folder) for folder in protected):
        raise PublishError(
            f"destination « {dest} » : c'est le dépôt, l'un de ses dossiers parents ou la racine, que la "
            f"publication effacerait — {hint}"
        )
    if _contains(os.path.realpath(site.ROOT), place):
        raise PublishError(f"destination « {dest} » : un dossier du dépôt — {hint}")


def in_destination(dest, name):
    return dest.rstrip("/") + "/" + name


def has_marker(dest):
    """Whether the destination holds the marker of a previous publication (asked to rsync, local or remote)."""
    result = subprocess.run(
        ["rsync", "--list-only", in_destination(dest, MARKER)], capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return True
    if result.returncode == RSYNC_MISSING_FILE:
        return False
    raise PublishError(
        f"destination « {dest} » injoignable (rsync, code {result.returncode} : {result.stderr.strip()}) — "
        "vérifiez l'adresse et la clé SSH"
    )


def copy_from_destination(dest, name, target):
    """Copy ``name`` (a file, or a folder ending with /) from the published folder to ``target``;
    True if it was there. What the public sees, read back for the alerts and the list of addresses."""
    recursive = ["--recursive"] if name.endswith("/") else []
    os.makedirs(os.path.dirname(target.rstrip("/")), exist_ok=True)
    command = ["rsync", "--quiet", *recursive, in_destination(dest, name), target]
    return subprocess.run(command, capture_output=True, text=True, check=False).returncode == 0


# --- What rsync would do ------------------------------------------------------


@dataclasses.dataclass
class Changes:
    """Files (not folders) that rsync adds, changes, deletes or keeps at the destination."""

    new: int = 0
    changed: int = 0
    deleted: int = 0
    kept: int = 0

    @property
    def existing(self):
        return self.changed + self.deleted + self.kept

    def summary(self):
        return f"{self.new} nouveaux, {self.changed} modifiés, {self.deleted} supprimés"


def count_changes(itemized):
    """Count files in rsync's ``--itemize-changes`` lines (given twice: unchanged files listed too)."""
    changes = Changes()
    for line in itemized.splitlines():
        if line.startswith("*deleting"):
            if not line.rstrip().endswith("/"):
                changes.deleted += 1
            continue
        flags, name = line[:11], line[12:].strip()  # %i is 11 characters wide, spaces for "unchanged"
        if len(flags) != 11 or flags[1] != "f" or name == MARKER:
            continue
        if "+++++++" in flags:
            changes.new += 1
        elif flags[0] in "<>" or flags[2] == "c":  # content sent, or checksum differs
            changes.changed += 1
        else:
            changes.kept += 1
    return changes


def rsync_command(output, dest, dry_run=False, manifest=""):
    """rsync the *contents* of ``output`` to ``dest``: files compared by checksum (a fresh build
    has fresh dates), put in place together at the end, then the stale ones deleted. Links are
    never copied nor followed, and the manifest stays here."""
    command = [
        "rsync",
        "--recursive",
        "--times",
        "--perms",
        "--no-links",
        "--compress",
        "--checksum",
        "--delete-after",
        "--delay-updates",
        "--itemize-changes",
        "--itemize-changes",
    ]
    if dry_run:
        command.append("--dry-run")
    if manifest:
        command.append(f"--exclude=/{manifest}")
    return command + [os.path.join(output, ""), dest]


def run_rsync(output, dest, dry_run, manifest=""):
    command = rsync_command(output, dest, dry_run, manifest)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise PublishError(
            f"rsync a renvoyé le code {result.returncode} ({result.stderr.strip()}) — rien n'a été remplacé "
            "si l'envoi n'est pas allé au bout ; vérifiez la destination et relancez"
        )
    return count_changes(result.stdout)


def check_deletions(changes, force):
    if force or not changes.existing or changes.deleted <= MAX_DELETED_SHARE * changes.existing:
        return
    raise PublishError(
        f"la publication supprimerait {changes.deleted} des {changes.existing} fichiers de la destination "
        f"(plus de {MAX_DELETED_SHARE:.0%}) — vérifiez la destination et le contenu, puis relancez avec "
        "--force si ces suppressions sont voulues"
    )


# --- What is sent: exactly the manifest --------------------------------------------


def check_staging(output, manifest):
    """The private build holds exactly the files its manifest lists (and the marker), no link."""
    try:
        with open(os.path.join(output, manifest), encoding="utf-8") as listing:
            declared = set(json.load(listing)["fichiers"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PublishError(
            f"manifeste {manifest} du site construit illisible ({error}) — rien n'a été envoyé ; signalez-le à "
            "l'équipe technique"
        ) from error
    found = files_and_links(output)
    links = sorted(path for path, is_link in found.items() if is_link)
    unknown = sorted(set(found) - declared - {manifest, MARKER})
    missing = sorted(declared - set(found))
    for paths, what in ((links, "lien(s) symbolique(s)"), (unknown, "fichier(s) absent(s) du manifeste")):
        if paths:
            raise PublishError(
                f"le site construit contient {len(paths)} {what} : {', '.join(paths[:5])} — rien n'a été envoyé ; "
                "signalez-le à l'équipe technique"
            )
    if missing:
        raise PublishError(
            f"{len(missing)} fichier(s) du manifeste manquent au site construit : {', '.join(missing[:5])} — rien "
            "n'a été envoyé ; relancez la publication"
        )


# --- The whole publication ----------------------------------------------------


def production_settings(environ, overrides):
    """publishconf.py with SITEURL from the environment; PREVIEW is always off."""
    overrides = dict(overrides)
    siteurl = environ.get(SITEURL_VARIABLE, "").strip()
    if siteurl and "siteurl" not in overrides:
        overrides.update(siteurl=siteurl, feed_domain=siteurl)
    settings = site.load_settings("publishconf.py", **overrides)
    settings["PREVIEW"] = False
    return settings


def build_privately(settings, private, out):
    """Build into ``private`` (never output/) with a private cache; the site folder, or None. The
    search bundles, kept with the fingerprint of every record they hold, are the project's: only the
    years whose articles changed are indexed again."""
    output = os.path.join(private, "site")
    places = dict(OUTPUT_PATH=output, CACHE_PATH=os.path.join(private, "cache"), LOAD_CONTENT_CACHE=False)
    status = site.build_unlocked(dict(settings, SEARCH_CACHE_PATH=searchindex.cache_folder(settings), **places), out)
    return output if status == 0 else None


def send(settings, dest, dry_run, init, force, out):
    if not init and not has_marker(dest):
        raise PublishError(
            f"la destination « {dest} » n'a jamais reçu ce site (fichier {MARKER} absent) — pour une première "
            "publication dans un dossier vide ou dédié, relancez avec --init"
        )
    with tempfile.TemporaryDirectory(prefix="publication-") as private:
        output = build_privately(settings, private, out)
        if output is None:
            print("Publication annulée : la construction a échoué, la destination est intacte.", file=out)
            return 1
        manifest = setting(settings, "OUTPUT_MANIFEST")
        if not manifest:
            raise PublishError("réglage OUTPUT_MANIFEST vide : sans manifeste, la publication ne sait pas quoi envoyer")
        with open(os.path.join(output, MARKER), "w", encoding="utf-8") as marker:
            marker.write(MARKER_TEXT)
        check_staging(output, manifest)
        changes = run_rsync(output, dest, dry_run=True, manifest=manifest)
        check_deletions(changes, force)
        if dry_run:
            print(f"Essai à blanc, rien n'a été envoyé : {changes.summary()}.", file=out)
            return 0
        run_rsync(output, dest, dry_run=False, manifest=manifest)
        recorded = addresses.record_published(settings, output)
    print(f"Site publié vers {dest} : {changes.summary()}.", file=out)
    if recorded:
        print(
            f"{recorded} adresse(s) ajoutée(s) à {addresses.list_path(settings)} — enregistrez ce fichier "
            "(git commit) pour que ces adresses restent valides.",
            file=out,
        )
    return 0


@contextlib.contextmanager
def destination_lock(dest, out):
    """A local destination is locked (beside it, with the alerts' outbox) while it is replaced, so that
    two publications never mix and the alerts never read it half-sent; a remote one relies on the
    forge's single « publication » queue (docs/exploitation.md)."""
    if is_remote(dest):
        yield
        return
    with treelock.tree_lock(outbox.beside_publication(dest), "invoke publish", out=out):
        yield


def record_addresses(root, remote="origin", branch="main", environ=os.environ, out=sys.stderr):
    """`invoke adresses`: the list of published addresses, read back from the destination, committed
    to ``branch`` — a job of its own, so that a refused push fails neither the publication nor the alerts."""
    settings = site.load_settings()
    try:
        dest = destination(environ)
    except PublishError as error:
        print(f"Adresses publiées non enregistrées : {error}", file=out)
        return 2
    with tempfile.TemporaryDirectory(prefix="adresses-") as private:
        published = os.path.join(private, addresses.list_name(settings))
        if not copy_from_destination(dest, addresses.list_name(settings), published):
            print(
                f"Adresses publiées non enregistrées : {addresses.list_name(settings)} introuvable dans « {dest} » "
                "— publiez d'abord le site (invoke publish)",
                file=out,
            )
            return 1
        return addresses.commit_published(settings, root, published, remote=remote, branch=branch, out=out)


def publish(dry_run=False, init=False, force=False, environ=os.environ, out=sys.stderr, **overrides):
    """Build with publishconf.py privately, then rsync to $PUBLISH_DEST. Returns an exit status."""
    try:
        dest = destination(environ)
        if not shutil.which("rsync"):
            raise PublishError("rsync introuvable — installez-le (apt-get install rsync)")
        check_siteurl({"SITEURL": overrides.get("siteurl") or environ.get(SITEURL_VARIABLE, "")})
        settings = production_settings(environ, overrides)
        check_siteurl(settings)
        check_place(dest, settings)
        with treelock.tree_lock(settings["OUTPUT_PATH"], "invoke publish", out=out), destination_lock(dest, out):
            return send(settings, dest, dry_run, init, force, out)
    except (PublishError, treelock.TreeBusy) as error:
        print(f"Publication refusée : {error}", file=out)
        return 2
