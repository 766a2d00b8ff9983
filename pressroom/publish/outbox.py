"""The outbox: what every channel (e-mail alerts today; Telegram, Mastodon,
Bluesky tomorrow) has sent, kept where every later run sees it.

Exactly once, by construction. One JSON file holds, per channel (``annonces``,
``quotidien`` for the e-mail lists) and target (an institution's acronym, an
account), one record per release. A record is written to disk *before* its
message leaves (``etat`` « en cours ») and confirmed *after* (« envoyé »):

    with outbox.opened(location) as box:          # locked for the whole run
        if box.find(channel, target, release) is None:
            box.reserve(channel, target, [release], when)   # saved before sending
            try:
                send(...)
            except SurelyRefused:                           # the server answered no
                box.cancel(channel, target, [release])      # nothing kept: retried next run
            else:
                box.confirm(channel, target, [release], when)
        box.uncertain()   # records left « en cours »: never sent again by themselves

``channel`` is a name of the sending (``annonces``, ``quotidien``; for
syndication, e.g. ``telegram``), ``target`` whom it went to (an acronym, an
account), ``release`` any object with ``id``, ``path``, ``day``, ``title`` and
optionally ``source`` (``pressroom.reach.alert_messages.Release``).

A record left « en cours » (the job killed, the connection cut after the data)
may or may not have gone out: it is never sent again automatically, every run
reports it until the operator settles it (``settle``; `invoke alertes --incertains=…`).

A release is recognised by any key it ever had (``keys_of``: feed id, address,
date and title, source file), so a correction finds its record.

Where it lives: ``location`` is a local file, or an rsync address
(``serveur:/var/www/communiques.etat/envois.json``), fetched when opened and
sent back after every change. The publication keeps it beside the site it sent
(``publish.state_destination``): not in git, so a failed pipeline or a refused
push never loses it, and the next run, whatever commit it checked out, sees it.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata

from pressroom.build import atomic, treelock
from pressroom.content.problems import Problem

VERSION = 1
PENDING, SENT = "en cours", "envoyé"
KEY_KINDS = ("ids", "chemins", "dates_titres", "sources")


class OutboxError(Exception):
    """The outbox cannot be read, locked or written; the message is French."""

    def __init__(self, *lines, status=2):
        super().__init__("\n".join(str(line) for line in lines))
        self.status = status


def folded(text):
    text = unicodedata.normalize("NFC", text.replace("\xa0", " ").replace("\u202f", " "))
    return " ".join(text.split()).casefold()


def keys_of(release):
    """Every key that recognises ``release`` (an object with id, path, day, title and source)."""
    keys = {
        "ids": release.id,
        "chemins": release.path,
        "dates_titres": f"{release.day.isoformat()} {folded(release.title)}",
    }
    if getattr(release, "source", ""):
        keys["sources"] = release.source
    return keys


def well_formed(data):
    """A mapping of channel -> target -> list of records (mappings), beside its version number."""
    return isinstance(data, dict) and all(
        isinstance(targets, dict)
        and all(isinstance(records, list) and all(isinstance(r, dict) for r in records) for records in targets.values())
        for channel, targets in data.items()
        if channel != "version"
    )


def is_remote(location):
    """rsync's rule: a colon before the first slash names a host."""
    return ":" in location.split("/", 1)[0]


class Outbox:
    """The records of one outbox file; ``save`` replaces the file atomically (then ``on_save``)."""

    def __init__(self, path, data, on_save=None):
        self.path, self.data, self.on_save = path, data, on_save
        self.data.setdefault("version", VERSION)

    @classmethod
    def load(cls, path, create=False, on_save=None, shown=None, command="invoke alertes"):
        """The outbox at ``path``; ``command`` names the job in the French hint of a missing file."""
        shown = shown or path
        try:
            with open(path, encoding="utf-8") as source:
                data = json.load(source)
        except FileNotFoundError:
            if create:
                return cls(path, {}, on_save)
            raise OutboxError(
                Problem(
                    shown,
                    "état",
                    "fichier d'état absent",
                    f"lancez d'abord `{command} --init` (marque comme fait tout ce qui est déjà publié), "
                    "ou indiquez --state",
                )
            ) from None
        except json.JSONDecodeError as error:
            raise OutboxError(
                Problem(shown, "état", f"JSON illisible ({error.msg})", "restaurez une copie", line=error.lineno)
            ) from None
        if not well_formed(data):
            problem = "contenu inattendu (ce n'est pas un état d'envois)"
            raise OutboxError(Problem(shown, "état", problem, "restaurez une copie", line=1))
        return cls(path, data, on_save)

    def records(self, channel, target):
        return self.data.setdefault(channel, {}).setdefault(target, [])

    def find(self, channel, target, release, sources=None):
        """The record of ``release``, or None. ``sources``: address -> source file of the published
        site, so that a record made before a slug change is found by the file it came from."""
        wanted = keys_of(release)
        for record in self.records(channel, target):
            if any(value in record.get(kind, ()) for kind, value in wanted.items()):
                return record
        if wanted.get("sources") and sources:
            for record in self.records(channel, target):
                if wanted["sources"] in {sources.get(path) for path in record.get("chemins", ())}:
                    return record
        return None

    @staticmethod
    def remember(record, release):
        """Add the release's current keys to its record; True if one was new."""
        changed = False
        for kind, value in keys_of(release).items():
            if value not in record.setdefault(kind, []):
                record[kind] = sorted([*record[kind], value])
                changed = True
        if release.day.isoformat() != record.get("date"):
            record["date"] = release.day.isoformat()
            changed = True
        return changed

    def add(self, channel, target, release, status, when):
        record = {"etat": status, "le": when.isoformat(timespec="seconds")}
        self.remember(record, release)
        records = self.records(channel, target)
        records.append(record)
        records.sort(key=lambda r: (r["date"], r["chemins"][0]))
        return record

    def reserve(self, channel, target, releases, when):
        """Record ``releases`` as « en cours » and save, before their message leaves."""
        for release in releases:
            self.add(channel, target, release, PENDING, when)
        self.save()

    def confirm(self, channel, target, releases, when):
        for release in releases:
            record = self.find(channel, target, release)
            record.update(etat=SENT, le=when.isoformat(timespec="seconds"))
        self.save()

    def cancel(self, channel, target, releases):
        """Forget a reservation whose message surely did not leave: the next run sends it."""
        records = self.records(channel, target)
        for release in releases:
            record = self.find(channel, target, release)
            if record is not None and record.get("etat") == PENDING:
                records.remove(record)
        self.save()

    def uncertain(self, channels):
        """(channel, target, record) of every record of ``channels`` left « en cours »."""
        return [
            (channel, target, record)
            for channel, targets in sorted(self.data.items())
            if channel in channels
            for target, records in sorted(targets.items())
            for record in records
            if record.get("etat") == PENDING
        ]

    def settle(self, record, status, when):
        record.update(etat=status, le=when.isoformat(timespec="seconds"))

    def save(self):
        """Write to a temporary file beside the outbox, then replace it: never a half-written file."""
        atomic.write_json(self.path, self.data, ".envois-")
        if self.on_save:
            self.on_save(self.path)


@contextlib.contextmanager
def locked(path, command="invoke alertes", out=sys.stderr):
    """One run at a time, and never while the publication beside it is being sent: the lock of the
    outbox's folder (``pressroom.build.treelock``), which ``invoke publish`` takes too for a local destination.
    Waits up to PRESSROOM_ATTENTE seconds."""
    try:
        with treelock.tree_lock(path, command, out=out):
            yield
    except treelock.TreeBusy as error:
        raise OutboxError(f"Envois arrêtés : {error}", status=1) from None


def beside_publication(dest):
    """Where the outbox of a publication lives: ``/var/www/site/`` -> ``/var/www/site.etat/envois.json``,
    next to the published folder (so never served, never deleted by its rsync), on the same server."""
    return dest.rstrip("/") + ".etat/envois.json"


def _rsync(source, target, shown):
    result = subprocess.run(
        ["rsync", "--quiet", "--mkpath", source, target], capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise OutboxError(
            f"Envois arrêtés : état {shown} injoignable (rsync, code {result.returncode} : "
            f"{result.stderr.strip()}) — vérifiez l'adresse et la clé SSH",
            status=1,
        )
    return result


@contextlib.contextmanager
def opened(location, create=False, command="invoke alertes"):
    """The outbox at ``location`` (a file, or an rsync address), locked for the block by ``command``."""
    if not is_remote(location):
        with locked(location, command):
            yield Outbox.load(location, create=create, command=command)
        return
    if not shutil.which("rsync"):
        raise OutboxError("Envois arrêtés : rsync introuvable — installez-le (apt-get install rsync)")
    with tempfile.TemporaryDirectory(prefix="envois-") as private:
        local = os.path.join(private, os.path.basename(location))
        fetched = subprocess.run(["rsync", "--quiet", location, local], capture_output=True, text=True, check=False)
        if fetched.returncode and not create:
            raise OutboxError(
                Problem(location, "état", "fichier d'état absent ou injoignable", f"lancez `{command} --init`")
            )
        with locked(local, command):
            yield Outbox.load(
                local, create=create, on_save=lambda path: _rsync(path, location, location), command=command
            )
