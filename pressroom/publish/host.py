"""Production build (publishconf.py) and its deployment by rsync to the
host and path named by the PUBLISH_DEST environment variable, or by rclone to
the S3-compatible bucket named by PUBLISH_BUCKET (``bucket``).

Publishing never ships what it did not build for production: it builds with
``publishconf.py`` (``PREVIEW`` off, the real ``SITEURL``) into a private
temporary folder, never from ``output/``, while holding the tree's lock. It
refuses, in French, a missing or local ``SITEURL``, a destination that is
the repository or one of its parents, a destination that a first publish
(``--init``) has not marked, and the deletion of more than a tenth of the
destination's files (``--force``; not under 50 deletions, one or two withdrawals
on a small site). rsync replaces the files only once all are sent
(``--delay-updates --delete-after``); a run that fails or is killed on the way
has its new folders and holding folders removed, so that no empty folder answers
403 until the next publication.

It sends exactly the files of the build's manifest (``OUTPUT_MANIFEST``, written
by the manifest plugin), never a link: the private folder is checked first (a
symbolic link, a file the manifest does not list, or one it lists that is missing
refuses the publication), and rsync copies no link (``--no-links``, never
``--copy-links``) and leaves the manifest, which names the sources, out. Why not
``--files-from``: with it, rsync would no longer delete at the destination the
files of articles since withdrawn from the site.
"""

import contextlib
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

from pressroom.build import parts, searchindex, site, treelock
from pressroom.build.output import files_and_links
from pressroom.content import addresses
from pressroom.publish import bucket, outbox
from pressroom.publish.changes import Changes, PublishError, check_deletions
from pressroom.settings import SettingsError, setting

DESTINATION_VARIABLE = "PUBLISH_DEST"
SITEURL_VARIABLE = "SITEURL"
MARKER = ".site-pressroom"
MARKER_TEXT = (
    "Ce dossier reçoit le site publié par `invoke publish` (pressroom).\n"
    "Ne supprimez pas ce fichier : sans lui, la publication refuse d'écrire ici.\n"
)
RSYNC_MISSING_FILE = 23
DELAYED = ".~tmp~"  # where rsync's --delay-updates holds the files it sent until the end
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


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


def count_changes(itemized):
    """Count files in rsync's ``--itemize-changes`` lines (given twice: unchanged files listed too)."""
    changes = Changes()
    for line in itemized.splitlines():
        if line.startswith("*deleting"):
            if not line.rstrip().endswith("/"):
                changes.deleted += 1
            continue
        flags, name = line[:11], line[12:].strip()  # %i is 11 characters wide, spaces for "unchanged"
        if len(flags) == 11 and flags[1] == "d" and "+++++++" in flags and name != "./":
            changes.new_folders.append(name.rstrip("/"))
        if len(flags) != 11 or flags[1] != "f" or name == MARKER:
            continue
        if "+++++++" in flags:
            changes.new += 1
            changes.sent_folders.add(os.path.dirname(name))
        elif flags[0] in "<>" or flags[2] == "c":  # content sent, or checksum differs
            changes.changed += 1
            changes.sent_folders.add(os.path.dirname(name))
        else:
            changes.kept += 1
    return changes


def rsync_command(output, dest, dry_run=False, manifest=""):
    """rsync the *contents* of ``output`` to ``dest``: files compared by checksum (a fresh build
    has fresh dates), put in place together at the end, then the stale ones deleted. Links are
    never copied nor followed, and the manifest stays here. Dates are not sent: a file online
    keeps the date it was last changed there, from which the web server makes its ETag and
    Last-Modified, so that a reader's browser asking again for an unchanged page gets « 304 Not
    Modified » rather than the page (every build dates every file anew)."""
    command = [
        "rsync",
        "--recursive",
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


def run_rsync(output, dest, dry_run, manifest="", planned=None):
    """rsync ``output`` to ``dest``; its changes. A run that fails or is killed has already made the
    new folders of its ``planned`` changes, and the files it sent wait in « .~tmp~ » folders until the
    end: both are removed, or the new folders would answer 403 until the next publication."""
    command = rsync_command(output, dest, dry_run, manifest)
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        cleaned = dry_run or planned is None or remove_at_destination(dest, unfinished(planned))
        raise PublishError(
            f"rsync a renvoyé le code {result.returncode} ({result.stderr.strip()}) — rien n'a été remplacé "
            f"si l'envoi n'est pas allé au bout{'' if cleaned else ' ; des dossiers vides peuvent rester'} ; "
            "vérifiez la destination et relancez"
        )
    return count_changes(result.stdout)


def unfinished(planned):
    """What a broken run of the ``planned`` changes may leave: the new folders (the outermost ones) and
    the holding folders of rsync's --delay-updates in the folders that receive files."""
    new = [f for f in planned.new_folders if not any(f.startswith(other + "/") for other in planned.new_folders)]
    inside_new = {f for f in planned.sent_folders if any(f == n or f.startswith(n + "/") for n in new)}
    return new + sorted(posixpath.join(folder, DELAYED) for folder in planned.sent_folders - inside_new)


def remove_at_destination(dest, paths):
    """Remove these folders (relative to ``dest``) with what they hold, and nothing else: rsync from a
    tree of their parents alone, deleting under those parents only what is named. True when done."""
    if not paths:
        return True
    with tempfile.TemporaryDirectory(prefix="publication-nettoyage-") as parents:
        rules = []
        for path in paths:
            parent = posixpath.dirname(path)
            os.makedirs(os.path.join(parents, parent), exist_ok=True)
            steps = parent.split("/") if parent else []
            rules += [f"--include=/{'/'.join(steps[: n + 1])}/" for n in range(len(steps))]
            rules.append(f"--include=/{path}/***")
        rules = [*dict.fromkeys(rules), "--exclude=*"]
        command = ["rsync", "--recursive", "--delete", *rules, os.path.join(parents, ""), dest]
        return subprocess.run(command, capture_output=True, check=False).returncode == 0


class ServerFolder:
    """A folder on a server (or this machine), sent by rsync; marked by MARKER at its first publication.
    The interface of every destination: shown, check_place, lock, check_marked, prepare, plan, send,
    and fetch (a published file read back, for `invoke adresses`)."""

    def __init__(self, dest):
        self.dest = self.shown = dest
        self.planned = None  # the dry run's changes, which a broken send cleans up after

    def check_place(self, settings):
        check_place(self.dest, settings)

    def lock(self, out):
        """A local destination is locked (beside it, with the alerts' outbox) while it is replaced, so
        that two publications never mix and the alerts never read it half-sent; a remote one relies on
        the forge's single « publication » queue (docs/exploitation.md)."""
        if is_remote(self.dest):
            return contextlib.nullcontext()
        return treelock.tree_lock(outbox.beside_publication(self.dest), "invoke publish", out=out)

    def check_marked(self, init):
        if not init and not has_marker(self.dest):
            raise PublishError(
                f"la destination « {self.dest} » n'a jamais reçu ce site (fichier {MARKER} absent) — pour une "
                "première publication dans un dossier vide ou dédié, relancez avec --init"
            )

    def prepare(self, output):
        with open(os.path.join(output, MARKER), "w", encoding="utf-8") as marker:
            marker.write(MARKER_TEXT)

    def plan(self, output, manifest, files):
        self.planned = run_rsync(output, self.dest, dry_run=True, manifest=manifest)
        return self.planned

    def send(self, output, manifest, files, settings):
        run_rsync(output, self.dest, dry_run=False, manifest=manifest, planned=self.planned)

    def fetch(self, name, target):
        return copy_from_destination(self.dest, name, target)


# --- What is sent: exactly the manifest --------------------------------------------


def check_staging(output, manifest):
    """The private build holds exactly the files its manifest lists (and the marker), no link;
    returns the manifest: each file and what wrote it."""
    try:
        with open(os.path.join(output, manifest), encoding="utf-8") as listing:
            declared = dict(json.load(listing)["fichiers"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PublishError(
            f"manifeste {manifest} du site construit illisible ({error}) — rien n'a été envoyé ; signalez-le à "
            "l'équipe technique"
        ) from error
    found = files_and_links(output)
    links = sorted(path for path, is_link in found.items() if is_link)
    unknown = sorted(set(found) - set(declared) - {manifest, MARKER})
    missing = sorted(set(declared) - set(found))
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
    return declared


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


def build_part(part, environ=os.environ, out=sys.stderr, **overrides):
    """`invoke build --annees … --production`: one part of the production site (publishconf.py,
    $SITEURL) into PARTS_PATH, for `invoke publish --parties`."""
    try:
        check_siteurl({"SITEURL": overrides.get("siteurl") or environ.get(SITEURL_VARIABLE, "")})
        settings = production_settings(environ, dict(overrides, build_part=part))
        check_siteurl(settings)
        command = f"invoke build --annees {part} --production"
        with treelock.tree_lock(settings["OUTPUT_PATH"], command, out=out), tempfile.TemporaryDirectory() as private:
            places = dict(OUTPUT_PATH=parts.folder(settings, parts.of(settings)), CACHE_PATH=private)
            places.update(LOAD_CONTENT_CACHE=False, SEARCH_CACHE_PATH=searchindex.cache_folder(settings))
            return site.build_unlocked(dict(settings, **places), out)
    except (PublishError, treelock.TreeBusy, SettingsError) as error:
        print(f"Construction refusée : {error}", file=out)
        return 2


def merge_privately(settings, private, out):
    """The production parts of PARTS_PATH merged into ``private``; the site folder, or None."""
    output = os.path.join(private, "site")
    try:
        parts.merge(parts.part_folders(settings), output, setting(settings, "OUTPUT_MANIFEST"), settings["SITEURL"])
    except parts.PartError as error:
        print(f"Fusion impossible : {error}", file=out)
        return None
    return output


def send(settings, target, dry_run, init, force, out, from_parts=False):
    target.check_marked(init)
    with tempfile.TemporaryDirectory(prefix="publication-") as private:
        output = (merge_privately if from_parts else build_privately)(settings, private, out)
        if output is None:
            failed = "la fusion des parties" if from_parts else "la construction"
            print(f"Publication annulée : {failed} a échoué, la destination est intacte.", file=out)
            return 1
        manifest = setting(settings, "OUTPUT_MANIFEST")
        if not manifest:
            raise PublishError("réglage OUTPUT_MANIFEST vide : sans manifeste, la publication ne sait pas quoi envoyer")
        target.prepare(output)
        files = check_staging(output, manifest)
        changes = target.plan(output, manifest, files)
        check_deletions(changes, force)
        if dry_run:
            print(f"Essai à blanc, rien n'a été envoyé : {changes.summary()}.", file=out)
            return 0
        target.send(output, manifest, files, settings)
        recorded = addresses.record_published(settings, output)
    print(f"Site publié vers {target.shown} : {changes.summary()}.", file=out)
    if recorded:
        print(
            f"{recorded} adresse(s) ajoutée(s) à {addresses.list_path(settings)} — enregistrez ce fichier "
            "(git commit) pour que ces adresses restent valides.",
            file=out,
        )
    return 0


def record_addresses(root, remote="origin", branch="main", environ=os.environ, out=sys.stderr):
    """`invoke adresses`: the list of published addresses, read back from the destination, committed
    to ``branch`` — a job of its own, so that a refused push fails neither the publication nor the alerts."""
    settings = site.load_settings()
    try:
        target = chosen_destination(environ)
    except PublishError as error:
        print(f"Adresses publiées non enregistrées : {error}", file=out)
        return 2
    with tempfile.TemporaryDirectory(prefix="adresses-") as private:
        published = os.path.join(private, addresses.list_name(settings))
        if not target.fetch(addresses.list_name(settings), published):
            print(
                f"Adresses publiées non enregistrées : {addresses.list_name(settings)} introuvable dans "
                f"« {target.shown} » "
                "— publiez d'abord le site (invoke publish)",
                file=out,
            )
            return 1
        return addresses.commit_published(settings, root, published, remote=remote, branch=branch, out=out)


def chosen_destination(environ):
    """A bucket ($PUBLISH_BUCKET) or a server folder ($PUBLISH_DEST): exactly one of them."""
    in_bucket = bucket.destination(environ)
    if in_bucket and environ.get(DESTINATION_VARIABLE, "").strip():
        raise PublishError(
            f"{DESTINATION_VARIABLE} et {bucket.BUCKET_VARIABLE} sont toutes deux données — une publication va "
            "vers une seule destination : retirez l'une des deux"
        )
    if in_bucket:
        return bucket.BucketDestination(in_bucket, environ)
    dest = destination(environ)
    if not shutil.which("rsync"):
        raise PublishError("rsync introuvable — installez-le (apt-get install rsync)")
    return ServerFolder(dest)


def publish(dry_run=False, init=False, force=False, environ=os.environ, out=sys.stderr, from_parts=False, **overrides):
    """Build with publishconf.py privately (or, ``from_parts``, merge the parts built with
    ``build_part``), then send to $PUBLISH_DEST (rsync) or $PUBLISH_BUCKET (rclone). Returns an exit status."""
    try:
        target = chosen_destination(environ)
        check_siteurl({"SITEURL": overrides.get("siteurl") or environ.get(SITEURL_VARIABLE, "")})
        settings = production_settings(environ, overrides)
        check_siteurl(settings)
        target.check_place(settings)
        with treelock.tree_lock(settings["OUTPUT_PATH"], "invoke publish", out=out), target.lock(out):
            return send(settings, target, dry_run, init, force, out, from_parts)
    except (PublishError, treelock.TreeBusy) as error:
        print(f"Publication refusée : {error}", file=out)
        return 2
