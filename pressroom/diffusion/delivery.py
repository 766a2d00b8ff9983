"""What was already posted, behind one small interface (Delivery) so that the store can change
without touching the channels: for now a JSON file of our own, written atomically after each post.

A release counts as posted to a channel when its feed id, its URL path or its date and title
match a recorded one (the keys of the e-mail alerts): correcting a title, a date or a slug posts
nothing again, and each key a known release takes is added to its record."""

import json
import os
from typing import Protocol

from .. import atomic
from ..outbox import Outbox, keys_of
from ..problems import Problem

SENT, INITIALIZED, TOO_OLD = "publié", "initialisé", "trop ancien"


class StateError(Exception):
    """The state cannot be read; the message is French."""


class Delivery(Protocol):
    def known(self, channel: str, target: str) -> bool:
        """True once anything was recorded for ``target`` on ``channel`` (a new channel is not)."""

    def pending(self, channel: str, target: str, release) -> bool:
        """True when ``release`` was never posted (nor set aside) for ``target`` on ``channel``."""

    def mark_sent(self, channel: str, target: str, release, status: str, when) -> None:
        """Record, durably before returning, that ``release`` is done for ``target`` on ``channel``."""

    def start(self, channel: str, target: str, releases, when) -> None:
        """Follow ``target`` on ``channel`` from now on: ``releases`` (already online) count as done."""


class JsonDelivery:
    """Records per « channel target »: each with the ids, paths and dates-and-titles of its release."""

    def __init__(self, path, data, read_only=False):
        self.path, self.data, self.read_only = path, data, read_only
        self.data.setdefault("version", 1)
        self.data.setdefault("publications", {})

    @classmethod
    def load(cls, path, create=False, read_only=False):
        """The state at ``path``; with ``create`` (--init), an empty one when there is none yet;
        ``read_only`` (--dry-run): never written."""
        if create and not os.path.exists(path):
            return cls(path, {}, read_only)
        try:
            with open(path, encoding="utf-8") as source:
                data = json.load(source)
        except FileNotFoundError:
            hint = "lancez d'abord `invoke diffusion --init` (marque comme publié tout ce qui est déjà en ligne)"
            raise StateError(Problem(path, "état", "fichier d'état absent", hint)) from None
        except json.JSONDecodeError as error:
            hint = "restaurez la version sauvegardée"
            raise StateError(Problem(path, "état", f"JSON illisible ({error.msg})", hint, line=error.lineno)) from None
        if not well_formed(data):
            hint = "restaurez la version sauvegardée, ou relancez `invoke diffusion --init` sur un fichier neuf"
            problem = "contenu inattendu (ce n'est pas un état de diffusion)"
            raise StateError(Problem(path, "état", problem, hint, line=1))
        return cls(path, data, read_only)

    def records(self, channel, target):
        return self.data["publications"].setdefault(f"{channel} {target}", [])

    def known(self, channel, target):
        return f"{channel} {target}" in self.data["publications"]

    def find(self, channel, target, release):
        wanted = keys(release)
        for record in self.records(channel, target):
            if any(value in record.get(kind, ()) for kind, value in wanted.items()):
                return record
        return None

    def pending(self, channel, target, release):
        record = self.find(channel, target, release)
        if record is None:
            return True
        if remember(record, release):  # a correction: its new keys, so that a later one matches too
            self.save()
        return False

    def mark_sent(self, channel, target, release, status, when):
        self.add(channel, target, release, status, when)
        self.save()

    def start(self, channel, target, releases, when):
        self.records(channel, target)
        for release in releases:
            self.add(channel, target, release, INITIALIZED, when)
        self.save()

    def add(self, channel, target, release, status, when):
        record = {"etat": status, "le": when.isoformat(timespec="seconds")}
        remember(record, release)
        self.records(channel, target).append(record)

    def save(self):
        if not self.read_only:
            atomic.write_json(self.path, self.data, ".diffusion-")


keys, remember = keys_of, Outbox.remember


def well_formed(data):
    """A mapping whose « publications » map « channel target » to lists of records (mappings)."""
    publications = data.get("publications", {}) if isinstance(data, dict) else None
    return isinstance(publications, dict) and all(
        isinstance(records, list) and all(isinstance(record, dict) for record in records)
        for records in publications.values()
    )
