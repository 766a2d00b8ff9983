"""Measuring the importer on articles it was not written for.

A table of hand-checked facts (CSV: file, heldout, date, author, institutions, event_start,
event_end) is compared with what the importer finds. Each fact is right, left empty with a
report line (honest), left empty without one, or wrong (a value that is not the expected one:
worse than none)."""

import collections
import csv
import dataclasses
import pathlib

from pressroom.content.registry import Registry, normalize
from pressroom.tools.importer.article import import_file

FACTS = {  # column -> (field of the article, report lines that honestly say it is missing)
    "date": ("Date", ("date de publication absente", "date de publication incomplète")),
    "author": ("Author", ("auteur absent",)),
    "institutions": ("Institutions", ("aucune institution du registre",)),
    "event_start": ("Event-Start", ("début de l'événement absente", "date de l'événement incomplète", "dates de")),
    "event_end": ("Event-End", ("fin de l'événement absente", "date de l'événement incomplète", "dates de")),
}
RIGHT, HONEST, SILENT, WRONG = "juste", "vide signalé", "vide non signalé", "faux"
OUTCOMES = (RIGHT, HONEST, SILENT, WRONG)


def _comparable(column, value):
    if column == "institutions":
        return frozenset(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
    return normalize(value)


def judge(column, expected, found, report):
    """The outcome of one fact."""
    expected, found = _comparable(column, expected), _comparable(column, found)
    if found == expected:
        return RIGHT
    if found:
        return WRONG
    return HONEST if any(line in report for line in FACTS[column][1]) else SILENT


@dataclasses.dataclass
class Score:
    counts: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    misses: list = dataclasses.field(default_factory=list)  # (file, column, expected, found, outcome)

    @property
    def total(self):
        return sum(self.counts.values())

    def share(self, *outcomes):
        return sum(self.counts[o] for o in outcomes) / self.total if self.total else 0.0

    def line(self, label):
        parts = ", ".join(f"{self.counts[o]} {o}" for o in OUTCOMES)
        return (
            f"{label} : {self.total} faits — {parts} ; juste ou vide signalé {self.share(RIGHT, HONEST):.0%}, "
            f"faux {self.share(WRONG):.0%}"
        )


def read_expected(table):
    with open(table, encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source))


def evaluate(folder, table, registry_path, heldout=None):
    """Score of the importer on the articles of ``folder`` listed in ``table``;
    ``heldout`` True/False keeps only the held-out (or the tuning) articles."""
    registry, score = Registry.load(registry_path), Score()
    for row in read_expected(table):
        if heldout is not None and (row.get("heldout") == "yes") != heldout:
            continue
        article = import_file(pathlib.Path(folder) / row["file"], registry)
        report = article.report()
        for column, (field, _) in FACTS.items():
            found = article.value(field)
            outcome = judge(column, row[column], found, report)
            score.counts[outcome] += 1
            if outcome != RIGHT:
                score.misses.append((row["file"], column, row[column], found, outcome))
    return score
