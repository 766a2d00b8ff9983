"""iCalendar (RFC 5545) calendars of events, written with the icalendar package."""

import datetime
import functools

import icalendar

from pressroom.content.contacts import press_contact

END = b"END:VCALENDAR\r\n"


def calendar(events, name, uid, domain):
    """A VCALENDAR holding one VEVENT per event, with the VTIMEZONEs they use,
    as bytes. Every component serialises on its own (folded lines, CRLF), so
    the calendar is assembled from each event's VEVENT serialised once."""
    head = icalendar.Calendar.new(
        name=name, uid=uid, prodid=f"-//{domain}//Agenda//FR", language="fr", calscale="GREGORIAN"
    ).to_ical()
    # Sorted: icalendar added them in set order, which changes between processes.
    zones = sorted({e.timezone for e in events if not e.all_day} - {"UTC"})
    body = b"".join([vtimezone(zone) for zone in zones] + [e.ics_vevent for e in events])
    return head.removesuffix(END) + body + END


@functools.cache
def vtimezone(tzid):
    """The serialised VTIMEZONE of ``tzid`` (nothing for an unknown zone, as
    icalendar's ``add_missing_timezones``); UTC needs none (RFC 5545)."""
    try:
        return icalendar.Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return b""


def vevent(event):
    component = icalendar.Event.new(
        uid=event.uid,
        stamp=stamp(event.article),
        summary=event.name,
        location=event.location or None,
        url=event.url,
        description=event.description or None,
        categories=[str(tag) for tag in getattr(event.article, "tags", [])],
    )
    add_dates(component, event)
    for institution in event.organisers:
        component.add("contact", f"{institution.name} ({institution.acronym})")
    organiser = next((i for i in event.organisers if press_email(i)), None)
    if organiser:
        component.add(
            "organizer", icalendar.vCalAddress(f"mailto:{press_email(organiser)}"), parameters={"CN": organiser.name}
        )
    return component


def add_dates(component, event):
    if event.all_day:
        # All-day: VALUE=DATE, and DTEND is the day after the last one (exclusive).
        component.add("dtstart", event.first_day)
        component.add("dtend", event.last_day + datetime.timedelta(days=1))
        return
    # Local time with an explicit TZID: given an aware datetime, icalendar
    # writes zones at UTC+0 (Africa/Bamako, Africa/Dakar) as UTC "Z" and the
    # zone name is lost.
    component.add("dtstart", event.start, parameters={"TZID": event.timezone})
    if event.end != event.start:
        component.add("dtend", event.end, parameters={"TZID": event.timezone})


def stamp(article):
    """DTSTAMP from the article's last change rather than the build time, so
    that rebuilding unchanged content writes byte-identical files (calendar
    clients and caches then see no change)."""
    changed = getattr(article, "modified", None) or article.date
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=datetime.UTC)
    return changed.astimezone(datetime.UTC)


def press_email(institution):
    return press_contact(institution).email
