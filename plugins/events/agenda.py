"""The agenda's shapes: upcoming events, past events by year and month, and
one month grid (weeks of days, Monday first) per month from the first event
to the last. Plain objects for the templates; no Pelican here."""

import calendar
import dataclasses
import datetime
import itertools

from babel.dates import get_day_names


@dataclasses.dataclass
class Day:
    date: datetime.date
    in_month: bool
    events: list
    is_today: bool


@dataclasses.dataclass
class MonthPage:
    """A month of the agenda. Its value (what the preview server compares to know whether the
    page changed) is its month, address, events and day; the weeks are made from these."""

    first: datetime.date
    url: str
    save_as: str
    weeks: list = dataclasses.field(compare=False)
    events: list
    today: datetime.date = None
    previous: "MonthPage" = dataclasses.field(default=None, compare=False)
    next: "MonthPage" = dataclasses.field(default=None, compare=False)


def weekday_names(locale):
    """(« lundi », « lun. ») … (« dimanche », « dim. »), Monday first as in the grid;
    the short name fits seven columns on a 360 px phone."""
    wide = get_day_names("wide", locale=locale)
    short = get_day_names("abbreviated", locale=locale)
    return [(wide[number], short[number]) for number in range(7)]


def upcoming(events, today):
    """Events not yet over, soonest first."""
    return [e for e in events if e.last_day >= today]


def past_by_year(events, today):
    """[(year, [(first day of month, events)])], most recent first."""
    past = sorted((e for e in events if e.last_day < today), key=lambda e: e.start, reverse=True)
    by_month = [
        (month, list(group)) for month, group in itertools.groupby(past, key=lambda e: e.first_day.replace(day=1))
    ]
    return [(year, list(months)) for year, months in itertools.groupby(by_month, key=lambda m: m[0].year)]


def months_between(first, last):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + datetime.timedelta(days=31)).replace(day=1)


def month_weeks(month, events, today):
    """The weeks of ``month``; days of the neighbour months are out of the month."""
    by_day = {}
    for event in events:
        for day in event.days():
            by_day.setdefault(day, []).append(event)
    grid = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(month.year, month.month)
    return [
        [
            Day(day, day.month == month.month, by_day.get(day, []) if day.month == month.month else [], day == today)
            for day in week
        ]
        for week in grid
    ]


def events_by_month(events):
    """{first day of month: the events on a day of that month}, in the order of ``events``."""
    by_month = {}
    for event in events:
        for month in months_between(event.first_day, event.last_day):
            by_month.setdefault(month, []).append(event)
    return by_month


def month_pages(events, today, url, save_as):
    """One page per month from the first event's month to the last event's (the content gate
    keeps every event within CONTENT_YEAR_MIN and CONTENT_YEARS_AHEAD, so this stays bounded)."""
    if not events:
        return []
    by_month = events_by_month(events)
    pages = []
    for month in months_between(min(e.first_day for e in events), max(e.last_day for e in events)):
        in_month = by_month.get(month, [])
        pages.append(
            MonthPage(
                month,
                url.format(date=month),
                save_as.format(date=month),
                month_weeks(month, in_month, today),
                in_month,
                today,
            )
        )
    for before, after in zip(pages, pages[1:]):
        before.next, after.previous = after, before
    return pages
