"""Events: reads the event fields of articles into ``article.event`` and
writes the agenda (upcoming and past events, a month grid per month) and the
iCalendar feeds (all events, one per institution, one per event).

Signals: ``article_generator_finalized`` reads ``Event``, ``Event-Start``,
``Event-End``, ``Event-Location`` (a date that does not parse, or an end
before the start, fails the build with a message naming file and field);
``all_generators_finalized`` keeps the events of published articles only;
``get_generators`` adds the generator that writes the agenda and the feeds.
"""

import dataclasses
import datetime
import logging
import urllib.parse
import zoneinfo

from babel.dates import format_time
from markupsafe import Markup
from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

from pressroom.frdates import LOCALE, parse_date
from pressroom.output import write_output
from pressroom.problems import ContentError, problem_at

from . import agenda, ical

__all__ = ["register", "Event"]

logger = logging.getLogger(__name__)

DEFAULTS = {
    "AGENDA_URL": "agenda/",
    "AGENDA_SAVE_AS": "agenda/index.html",
    "AGENDA_MONTH_URL": "agenda/{date:%Y}/{date:%m}/",
    "AGENDA_MONTH_SAVE_AS": "agenda/{date:%Y}/{date:%m}/index.html",
    "EVENTS_ICS_ALL": "calendrier/tout.ics",
    "EVENTS_ICS_INSTITUTION": "calendrier/institutions/{slug}.ics",
    "EVENT_ICS": "calendrier/evenements/{date:%Y}/{date:%m}/{slug}.ics",
    "EVENTS_CALENDAR_NAME": "Agenda de la protection sociale en Afrique de l'Ouest",
    # Time zone of an event: from the country of its first organiser, else TIMEZONE.
    "EVENTS_TIMEZONES": {"Mali": "Africa/Bamako", "Sénégal": "Africa/Dakar"},
    # The day that splits upcoming from past events and is marked in month grids;
    # None means the day of the build (in TIMEZONE). Tests set a fixed day.
    "EVENTS_TODAY": None,
}

FIELDS = {"name": "event", "start": "event-start", "end": "event-end", "location": "event-location"}
DATE_HINT = (
    "écrivez la date sous la forme AAAA-MM-JJ (avec l'heure si besoin : 2024-10-08 09:30) "
    "ou en toutes lettres : 8 octobre 2024 à 9h30"
)


def get_setting(settings, name):
    return settings.get(name, DEFAULTS[name])


def check_settings(settings):
    """Log an error (the build then fails) for a time zone that does not exist."""
    zones = dict(get_setting(settings, "EVENTS_TIMEZONES"))
    for country, zone in zones.items():
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.error("EVENTS_TIMEZONES : fuseau horaire inconnu « %s » pour %s", zone, country)


@dataclasses.dataclass
class Event:
    name: str
    start: datetime.datetime
    end: datetime.datetime
    location: str = ""
    # Known once the article is published (see publish_event):
    article: object = None
    timezone: str = ""
    site_url: str = ""
    ics_url: str = ""
    uid: str = ""
    _ics_vevent: bytes = dataclasses.field(default=b"", init=False, repr=False, compare=False)

    @property
    def all_day(self):
        return self.start.time() == datetime.time() and self.end.time() == datetime.time()

    @property
    def time_label(self):
        """« à 9 h 30 » for a timed event, empty for an all-day one."""
        if self.all_day:
            return ""
        return "à " + format_time(self.start, "H 'h' mm", locale=LOCALE)

    @property
    def first_day(self):
        return self.start.date()

    @property
    def last_day(self):
        return self.end.date()

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += datetime.timedelta(days=1)

    @property
    def organisers(self):
        return getattr(self.article, "institutions", [])

    @property
    def url(self):
        """Absolute URL of the article that announces the event."""
        return absolute(self.site_url, self.article.url)

    @property
    def description(self):
        """The article summary as plain text: no tag, no entity."""
        return plain_text(getattr(self.article, "summary", "") or "")

    @property
    def ics_vevent(self):
        """Its VEVENT, serialised once for all the calendars that hold it."""
        if not self._ics_vevent:
            self._ics_vevent = ical.vevent(self).to_ical()
        return self._ics_vevent

    def aware(self, moment):
        return moment.replace(tzinfo=zoneinfo.ZoneInfo(self.timezone))

    @property
    def schema_org(self):
        """schema.org ``Event`` for the article page's JSON-LD."""
        if self.all_day:
            start, end = self.first_day.isoformat(), self.last_day.isoformat()
        else:
            start, end = self.aware(self.start).isoformat(), self.aware(self.end).isoformat()
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": self.name,
            "startDate": start,
            "endDate": end,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "url": self.url,
            "description": self.description,
            "inLanguage": "fr",
        }
        if self.location:
            data["location"] = {"@type": "Place", "name": self.location, "address": self.location}
        if self.organisers:
            data["organizer"] = [
                {
                    "@type": "Organization",
                    "name": i.name,
                    "alternateName": i.acronym,
                    "url": absolute(self.site_url, i.url),
                }
                for i in self.organisers
            ]
        return data


def plain_text(html):
    """Text without tags. Summaries may be HTML or escaped text (a literal
    ``<b>`` written by an author): stripping twice removes tags either way."""
    return Markup(Markup(html).striptags()).striptags()


def absolute(site_url, path):
    return f"{site_url.rstrip('/')}/{path}"


def _parse_date(article, field, problems, root):
    value = article.metadata.get(field)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    year = article.date.year if getattr(article, "date", None) else None
    try:
        return parse_date(str(value), default_year=year)
    except ValueError as error:
        problems.append(problem_at(article.source_path, field.title(), str(error), DATE_HINT, root=root))
        return None


def read_event(article, problems, root):
    metadata = article.metadata
    name = str(metadata.get(FIELDS["name"], "") or "").strip()
    start = _parse_date(article, FIELDS["start"], problems, root)
    end = _parse_date(article, FIELDS["end"], problems, root) or start
    if not name and not start:
        return None
    if not name:
        problems.append(
            problem_at(
                article.source_path,
                "Event",
                "nom de l'événement absent",
                "indiquez le nom de l'événement dans le champ Event",
                root=root,
            )
        )
    if not start:
        if name and metadata.get(FIELDS["start"]) in (None, ""):
            problems.append(
                problem_at(
                    article.source_path,
                    "Event-Start",
                    "date de début absente",
                    "indiquez la date de début, par exemple Event-Start: 2024-10-08",
                    root=root,
                )
            )
        return None
    if end < start:
        problems.append(
            problem_at(
                article.source_path,
                "Event-End",
                "la fin de l'événement précède son début",
                "vérifiez Event-Start et Event-End",
                root=root,
            )
        )
        return None
    return Event(name, start, end, str(metadata.get(FIELDS["location"], "") or "").strip())


def attach_events(generator):
    """Read the event of every article, drafts included, so that a draft is checked too."""
    problems = []
    root = generator.settings["PATH"]
    for article in generator.articles + generator.translations + generator.drafts + generator.drafts_translations:
        article.event = read_event(article, problems, root)
    if problems:
        raise ContentError(problems)


def timezone_for(institutions, settings):
    zones = get_setting(settings, "EVENTS_TIMEZONES")
    for institution in institutions:
        if zones.get(getattr(institution, "country", "")):
            return zones[institution.country]
    return settings["TIMEZONE"]


def uid_domain(settings):
    return urllib.parse.urlsplit(settings.get("SITEURL") or "").hostname or "localhost"


def publish_event(article, settings):
    """Complete the event of a published article: time zone, URLs, UID."""
    event = article.event
    event.article = article
    event.timezone = timezone_for(getattr(article, "institutions", []), settings)
    event.site_url = settings.get("SITEURL") or ""
    event.ics_url = get_setting(settings, "EVENT_ICS").format(slug=article.slug, date=article.date)
    # The article URL holds its date and slug: unique, and the same on every build.
    event.uid = f"{article.url.strip('/').replace('/', '-')}@{uid_domain(settings)}"
    return event


def collect_events(generators):
    """Keep the events of published articles only: drafts, and embargoed
    articles moved to drafts by other plugins, never reach the agenda."""
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            published = [a for a in generator.articles if getattr(a, "event", None)]
            events = [publish_event(a, generator.settings) for a in published]
            generator.context["events"] = sorted(events, key=lambda e: (e.start, e.end, e.name))
            for institution in {i for event in events for i in event.organisers}:
                institution.events_ics = institution_ics(generator.settings, institution)


def institution_ics(settings, institution):
    return get_setting(settings, "EVENTS_ICS_INSTITUTION").format(slug=institution.slug)


def today(settings):
    fixed = get_setting(settings, "EVENTS_TODAY")
    if fixed:
        return fixed if isinstance(fixed, datetime.date) else datetime.date.fromisoformat(str(fixed))
    return datetime.datetime.now(zoneinfo.ZoneInfo(settings["TIMEZONE"])).date()


class EventsGenerator(Generator):
    """Writes the agenda page, a month grid per month, and the iCalendar feeds."""

    def generate_context(self):
        check_settings(self.settings)
        self.context.setdefault("AGENDA_URL", get_setting(self.settings, "AGENDA_URL"))
        self.context.setdefault("EVENTS_ICS_ALL", get_setting(self.settings, "EVENTS_ICS_ALL"))

    def generate_output(self, writer):
        events = self.context.get("events", [])
        day = today(self.settings)
        months = agenda.month_pages(
            events,
            day,
            get_setting(self.settings, "AGENDA_MONTH_URL"),
            get_setting(self.settings, "AGENDA_MONTH_SAVE_AS"),
        )
        self.write_agenda(writer, events, day, months)
        weekday_names = agenda.weekday_names()
        for month in months:
            self.write_page(writer, month.save_as, "agenda_month", month.url, month=month, weekday_names=weekday_names)
        if events:
            self.write_feeds(events)

    def write_page(self, writer, save_as, template, url, **context):
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            self.settings["RELATIVE_URLS"],
            template_name=template,
            url=url,
            **context,
        )

    def write_agenda(self, writer, events, day, months):
        self.write_page(
            writer,
            get_setting(self.settings, "AGENDA_SAVE_AS"),
            "agenda",
            get_setting(self.settings, "AGENDA_URL"),
            events=events,
            upcoming=agenda.upcoming(events, day),
            past_years=agenda.past_by_year(events, day),
            month_urls={month.first: month.url for month in months},
            institution_feeds=self.institution_feeds(events),
        )

    def institution_feeds(self, events):
        """(institution, .ics path, its events) for each institution that organises an event."""
        feeds = {}
        for event in events:
            for institution in event.organisers:
                feeds.setdefault(institution.acronym, (institution, institution.events_ics, []))[2].append(event)
        return sorted(feeds.values(), key=lambda feed: feed[0].acronym)

    def write_feeds(self, events):
        name = get_setting(self.settings, "EVENTS_CALENDAR_NAME")
        domain = uid_domain(self.settings)
        write_output(
            self.output_path,
            get_setting(self.settings, "EVENTS_ICS_ALL"),
            ical.calendar(events, name, f"tout@{domain}", domain),
        )
        for institution, path, own_events in self.institution_feeds(events):
            write_output(
                self.output_path,
                path,
                ical.calendar(own_events, f"{name} — {institution.acronym}", f"{institution.slug}@{domain}", domain),
            )
        for event in events:
            write_output(self.output_path, event.ics_url, ical.calendar([event], event.name, event.uid, domain))


def get_generators(pelican):
    return EventsGenerator


def register():
    signals.article_generator_finalized.connect(attach_events)
    signals.all_generators_finalized.connect(collect_events)
    signals.get_generators.connect(get_generators)
