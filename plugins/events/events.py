"""Events: reads the event metadata of articles (``Event``, ``Event-Start``,
``Event-End``, ``Event-Location``) into an ``article.event`` object.

Signals: ``article_generator_finalized``. A date that does not parse, or an
end before the start, fails the build with a message naming file and field.
"""

import dataclasses
import datetime

from pelican import signals
from pelican.utils import get_date

from pressroom.problems import ContentError, problem_at

__all__ = ["register", "Event"]

FIELDS = {"name": "event", "start": "event-start", "end": "event-end", "location": "event-location"}


@dataclasses.dataclass
class Event:
    name: str
    start: datetime.datetime
    end: datetime.datetime
    location: str = ""

    @property
    def all_day(self):
        return self.start.time() == datetime.time() and self.end.time() == datetime.time()


def _parse_date(article, field, problems, root):
    value = article.metadata.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value
    try:
        return get_date(str(value))
    except (ValueError, OverflowError):
        problems.append(problem_at(article.source_path, field.title(),
                                   f"date illisible « {value} »",
                                   "écrivez la date sous la forme AAAA-MM-JJ, par exemple 2024-10-08",
                                   root=root))
        return None


def read_event(article, problems, root):
    metadata = article.metadata
    name = str(metadata.get(FIELDS["name"], "") or "").strip()
    start = _parse_date(article, FIELDS["start"], problems, root)
    end = _parse_date(article, FIELDS["end"], problems, root) or start
    if not name and not start:
        return None
    if not name:
        problems.append(problem_at(article.source_path, "Event", "nom de l'événement absent",
                                   "indiquez le nom de l'événement dans le champ Event", root=root))
    if not start:
        if name and metadata.get(FIELDS["start"]) in (None, ""):
            problems.append(problem_at(article.source_path, "Event-Start", "date de début absente",
                                       "indiquez la date de début, par exemple Event-Start: 2024-10-08",
                                       root=root))
        return None
    if end < start:
        problems.append(problem_at(article.source_path, "Event-End",
                                   "la fin de l'événement précède son début",
                                   "vérifiez Event-Start et Event-End", root=root))
        return None
    return Event(name, start, end, str(metadata.get(FIELDS["location"], "") or "").strip())


def attach_events(generator):
    problems = []
    root = generator.settings["PATH"]
    for article in generator.articles + generator.translations + generator.drafts + generator.drafts_translations:
        article.event = read_event(article, problems, root)
    if problems:
        raise ContentError(problems)


def register():
    signals.article_generator_finalized.connect(attach_events)
