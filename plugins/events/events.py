"""Events: reads the event fields of articles into ``article.event`` and
writes the agenda (upcoming and past events, a month grid per month) and the
iCalendar feeds (all events, one per institution, one per event).

Signals: the pipeline's ``events`` stage reads ``Event``, ``Event-Start``,
``Event-End``, ``Event-Location`` as the schema defines them (the content
gate has checked them) into ``article.event``, and keeps the events of
published articles only in ``context["events"]`` (the next EVENTS_ON_HOME in
``context["next_events"]``, for the home page); ``get_generators`` adds the
generator that writes the agenda and the feeds.
"""

import dataclasses
import datetime
import functools
import logging
import urllib.parse
import zoneinfo

from babel.dates import format_time
from pelican import signals
from pelican.generators import Generator

from pressroom.build import pipeline
from pressroom.build.output import write_output
from pressroom.content import kinds, schema
from pressroom.content.frdates import today
from pressroom.content.problems import ContentError, problem_at
from pressroom.content.text import absolute_url, plain_text
from pressroom.settings import setting

from . import agenda, ical

__all__ = ["register", "Event"]

logger = logging.getLogger(__name__)


def check_settings(settings):
    """Log an error (the build then fails) for a time zone that does not exist."""
    zones = dict(setting(settings, "EVENTS_TIMEZONES"))
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
    locale: str = ""
    _ics_vevent: bytes = dataclasses.field(default=b"", init=False, repr=False, compare=False)

    @property
    def all_day(self):
        return self.start.time() == datetime.time() and self.end.time() == datetime.time()

    @property
    def time_label(self):
        """« à 9 h 30 » for a timed event, empty for an all-day one."""
        if self.all_day:
            return ""
        return "à " + format_time(self.start, "H 'h' mm", locale=self.locale)

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
        """The institutions of ``Event-Organizers``: none when the field is absent."""
        return getattr(self.article, "organisers", [])

    @property
    def url(self):
        """Absolute URL of the article that announces the event."""
        return absolute_url(self.site_url, self.article.url)

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
                    "url": absolute_url(self.site_url, i.url),
                }
                for i in self.organisers
            ]
        return data


def read_event(article):
    """The event of an article, from its fields (the gate has checked them)."""
    try:
        dates = schema.event_dates(schema.fields_of(article), default_year=article.date.year)
    except ValueError as error:
        raise ContentError([problem_at(article.source_path, "Event-Start", str(error), kinds.DATETIME_HINT)]) from None
    return Event(dates.name, dates.start, dates.end, dates.location) if dates else None


def attach_events(generators):
    """Read the event of every article, drafts included; keep those of published articles."""
    for article in pipeline.articles(generators):
        article.event = read_event(article)
    settings = generators[0].settings
    published = [a for a in pipeline.listed_articles(generators) if a.event]
    # The preview server runs the stage again for the articles it read again: the others' events are done.
    events = [a.event if a.event.article is a else publish_event(a, settings) for a in published]
    generators[0].context["events"] = sorted(events, key=lambda e: (e.start, e.end, e.name))
    upcoming = agenda.upcoming(generators[0].context["events"], today(settings))
    generators[0].context["next_events"] = upcoming[: setting(settings, "EVENTS_ON_HOME")]
    for institution in {i for event in events for i in event.organisers}:
        institution.events_ics = setting(settings, "EVENTS_ICS_INSTITUTION").format(slug=institution.slug)


def timezone_for(institutions, settings):
    zones = setting(settings, "EVENTS_TIMEZONES")
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
    event.locale = setting(settings, "BABEL_LOCALE")
    event.ics_url = setting(settings, "EVENT_ICS").format(slug=article.slug, date=article.date)
    # The article URL holds its date and slug: unique, and the same on every build.
    event.uid = f"{article.url.strip('/').replace('/', '-')}@{uid_domain(settings)}"
    return event


class EventsGenerator(Generator):
    """Writes the agenda page, a month grid per month, and the iCalendar feeds."""

    def generate_context(self):
        check_settings(self.settings)
        self.context.setdefault("AGENDA_URL", setting(self.settings, "AGENDA_URL"))
        self.context.setdefault("EVENTS_ICS_ALL", setting(self.settings, "EVENTS_ICS_ALL"))

    def generate_output(self, writer):
        events = self.context.get("events", [])
        day = today(self.settings)
        months = agenda.month_pages(
            events,
            day,
            setting(self.settings, "AGENDA_MONTH_URL"),
            setting(self.settings, "AGENDA_MONTH_SAVE_AS"),
        )
        self.write_agenda(writer, events, day, months)
        weekday_names = agenda.weekday_names(setting(self.settings, "BABEL_LOCALE"))
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
            setting(self.settings, "AGENDA_SAVE_AS"),
            "agenda",
            setting(self.settings, "AGENDA_URL"),
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
        """Each calendar is made only when written (the preview server's writer makes it between
        two saves, and writes it only when its bytes changed)."""
        name = setting(self.settings, "EVENTS_CALENDAR_NAME")
        domain = uid_domain(self.settings)

        def write(save_as, events, title, uid):
            make = functools.partial(ical.calendar, events, title, uid, domain)
            write_output(self.output_path, save_as, make)

        write(setting(self.settings, "EVENTS_ICS_ALL"), events, name, f"tout@{domain}")
        for institution, path, own_events in self.institution_feeds(events):
            write(path, own_events, f"{name} — {institution.acronym}", f"{institution.slug}@{domain}")
        for event in events:
            write(event.ics_url, [event], event.name, event.uid)


def get_generators(pelican):
    return EventsGenerator


def register():
    pipeline.connect("events", attach_events)
    signals.get_generators.connect(get_generators)
