"""iCalendar (RFC 5545) calendars of events, written with the icalendar package."""

import datetime

import icalendar

EMAIL_KEYS = ("courriel", "email", "e-mail", "mail")


def calendar(events, name, uid, domain):
    """A VCALENDAR holding one VEVENT per event, with the VTIMEZONEs they use."""
    cal = icalendar.Calendar.new(name=name, uid=uid, prodid=f"-//{domain}//Agenda//FR", language="fr",
                                 calscale="GREGORIAN", subcomponents=[vevent(e) for e in events])
    cal.add_missing_timezones()
    return cal


def vevent(event):
    component = icalendar.Event.new(uid=event.uid, stamp=stamp(event.article), summary=event.name,
                                    location=event.location or None, url=event.url,
                                    description=event.description or None,
                                    categories=[str(tag) for tag in getattr(event.article, "tags", [])])
    add_dates(component, event)
    for institution in event.organisers:
        component.add("contact", f"{institution.name} ({institution.acronym})")
    organiser = next((i for i in event.organisers if press_email(i)), None)
    if organiser:
        component.add("organizer", icalendar.vCalAddress(f"mailto:{press_email(organiser)}"),
                      parameters={"CN": organiser.name})
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
        changed = changed.replace(tzinfo=datetime.timezone.utc)
    return changed.astimezone(datetime.timezone.utc)


def press_email(institution):
    contact = dict(getattr(institution, "press_contact", ()))
    return next((contact[key] for key in EMAIL_KEYS if contact.get(key)), "")
