"""Event calendar: agenda pages, month grids, iCalendar feeds and JSON-LD,
checked on the real site built from content/ (and on a copy with extra
articles: a timed event in Dakar, a draft, a future article)."""

import datetime
import json

import icalendar
import pytest
import vobject
from conftest import build_site, copy_content, write_article
from seed_articles import seed_articles
from tools import validate_html

SEED_DATES = {
    "cares-mali-seminaire-national-formation-nouveaux-membres": "du 1er au 5 juillet 2019",
    "rma-atelier-national-extension-protection-sociale": "du 13 au 15 novembre 2019",
    "kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines": "du 10 au 12 novembre 2021",
    "journee-porte-ouverte-services-protection-sociale": "le 7 décembre 2022",
    "cmss-untm-formation-relations-professionnelles": "du 8 au 10 octobre 2024",
}
# Inclusive first day, exclusive DTEND as in RFC 5545.
SEED_ICS_DATES = {
    "cares-mali-seminaire-national-formation-nouveaux-membres": ("2019-07-01", "2019-07-06"),
    "rma-atelier-national-extension-protection-sociale": ("2019-11-13", "2019-11-16"),
    "kaolack-reseau-oyofal-paj-atelier-gestion-ressources-humaines": ("2021-11-10", "2021-11-13"),
    "journee-porte-ouverte-services-protection-sociale": ("2022-12-07", "2022-12-08"),
    "cmss-untm-formation-relations-professionnelles": ("2024-10-08", "2024-10-11"),
}
SEEDS = [seed for seed in seed_articles() if seed.get("event")]


def schema_org_event(page):
    """The JSON-LD object of @type Event (the page may carry other JSON-LD too)."""
    found = [json.loads(script.string) for script in page.find_all("script", type="application/ld+json")]
    events = [data for data in found if data.get("@type") == "Event"]
    assert len(events) == 1, found
    return events[0]


def read_ics(path):
    return icalendar.Calendar.from_ical(path.read_bytes())


def events_by_slug(calendar):
    return {str(e["URL"]).rstrip("/").rsplit("/", 1)[-1]: e for e in calendar.walk("VEVENT")}


def event_ics_files(built):
    return sorted((built.output / "calendrier").rglob("*.ics"))


# --- Agenda and month pages ----------------------------------------------


def test_every_seed_article_has_an_event():
    assert {seed["slug"] for seed in SEEDS} == set(SEED_DATES)


@pytest.mark.parametrize("slug", SEED_DATES)
def test_agenda_lists_each_seed_event_with_its_french_dates(built_site, slug):
    items = built_site.soup("agenda/").select(".event-item")
    item = next(i for i in items if i.find("a", href=lambda h: h and h.rstrip("/").endswith(slug)))
    assert item.find("time").get_text() == SEED_DATES[slug]
    seed = next(s for s in SEEDS if s["slug"] == slug)
    assert item.select_one(".event-name").get_text(strip=True) == seed["event"]
    assert seed["event-location"] in item.get_text()
    assert [a.get_text(strip=True) for a in item.select(".institutions a")] == seed["institutions"]


def test_past_events_are_grouped_by_year_then_month_newest_first(built_site):
    past = built_site.soup("agenda/").find("section", attrs={"aria-labelledby": "passes"})
    assert [h.get_text() for h in past.find_all("h3")] == ["2024", "2022", "2021", "2019"]
    months = [h.get_text() for h in past.find_all("h4")]
    assert months == ["octobre 2024", "décembre 2022", "novembre 2021", "novembre 2019", "juillet 2019"]


def test_month_pages_run_from_first_to_last_event_month(built_site):
    agenda = built_site.output / "agenda"
    months = sorted(p.parent.relative_to(agenda).as_posix() for p in agenda.glob("*/*/index.html"))
    assert months[0] == "2019/07" and months[-1] == "2024/10"
    assert len(months) == 12 * 5 + 4  # July 2019 to October 2024, empty months included
    first, last = built_site.soup("agenda/2019/07/"), built_site.soup("agenda/2024/10/")
    assert first.find("a", rel="prev") is None and first.find("a", rel="next")["href"].endswith("2019/08/")
    assert last.find("a", rel="next") is None and last.find("a", rel="prev")["href"].endswith("2024/09/")


def test_month_grid_is_a_table_with_french_weekday_headers(built_site):
    table = built_site.soup("agenda/2019/11/").find("table")
    assert table.caption.get_text(strip=True) == "Novembre 2019"
    headers = table.select("thead th")
    assert [th.abbr["title"] for th in headers] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]
    assert [th.get_text() for th in headers] == ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    assert all(th["scope"] == "col" for th in headers)
    first_week = table.select("tbody tr")[0].find_all("td")
    assert [td.get_text(strip=True) for td in first_week] == ["", "", "", "", "1", "2", "3"]  # 1 Nov 2019: Friday
    days_with_event = [
        td.find("time")["datetime"]
        for td in table.select("td")
        if td.find("a", string=lambda s: s and "Atelier national" in s)
    ]
    assert days_with_event == ["2019-11-13", "2019-11-14", "2019-11-15"]


def test_agenda_and_month_grids_pass_the_html_validator(built_site):
    pages = [
        built_site.output / p / "index.html"
        for p in (
            "agenda",
            "agenda/2019/07",
            "agenda/2019/11",
            "agenda/2024/10",
            "2024/10/cmss-untm-formation-relations-professionnelles",
        )
    ]
    assert validate_html(pages) == []


def test_navigation_links_to_the_agenda(built_site):
    nav = built_site.soup("index.html").find("nav", attrs={"aria-label": "Navigation principale"})
    assert nav.find("a", string="Agenda")["href"].rstrip("/").endswith("agenda")


# --- Article event box and JSON-LD ----------------------------------------


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: s["slug"])
def test_event_box_links_the_event_ics_file(built_site, seed):
    link = built_site.soup(seed["url"]).select_one(".event a.event-ics")
    target = (built_site.output / seed["url"] / link["href"]).resolve()
    calendar = read_ics(target)
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [seed["event"]]


def test_article_page_carries_schema_org_event(built_site):
    page = built_site.soup("2024/10/cmss-untm-formation-relations-professionnelles/")
    data = schema_org_event(page)
    assert data["@type"] == "Event"
    assert (data["startDate"], data["endDate"]) == ("2024-10-08", "2024-10-10")
    assert data["location"]["name"] == "Direction générale de la CMSS, Bamako"
    assert [o["alternateName"] for o in data["organizer"]] == ["CMSS", "UNTM"]
    assert data["url"].endswith("/2024/10/cmss-untm-formation-relations-professionnelles/")


# --- iCalendar -------------------------------------------------------------


def test_global_feed_holds_every_seed_event_with_exclusive_all_day_end(built_site):
    calendar = read_ics(built_site.output / "calendrier" / "tout.ics")
    assert "Agenda" in str(calendar["X-WR-CALNAME"])
    events = events_by_slug(calendar)
    assert set(events) == set(SEED_ICS_DATES)
    for slug, (start, end) in SEED_ICS_DATES.items():
        event = events[slug]
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event.start == datetime.date.fromisoformat(start)
        assert event.end == datetime.date.fromisoformat(end)
        for name in ("UID", "DTSTAMP", "SUMMARY", "LOCATION", "URL", "DESCRIPTION"):
            assert name in event, (slug, name)
        assert str(event["URL"]).startswith("http")


def test_each_event_file_holds_its_single_event(built_site):
    for seed in SEEDS:
        path = built_site.output / "calendrier" / "evenements" / seed["url"].rsplit("/", 2)[0] / f"{seed['slug']}.ics"
        events = read_ics(path).walk("VEVENT")
        assert len(events) == 1 and str(events[0]["SUMMARY"]) == seed["event"]


def test_institution_feeds_hold_only_their_institutions_events(built_site):
    folder = built_site.output / "calendrier" / "institutions"
    expected = {}
    for seed in SEEDS:
        for acronym in seed["institutions"]:
            expected.setdefault(acronym.lower(), set()).add(seed["slug"])
    assert {p.stem for p in folder.glob("*.ics")} == set(expected)
    for slug, seeds in expected.items():
        assert set(events_by_slug(read_ics(folder / f"{slug}.ics"))) == seeds, slug


def test_ics_files_are_byte_identical_across_builds(built_site, tmp_path):
    again = build_site(copy_content(tmp_path / "content"), tmp_path / "out")
    assert again.status == 0, again.messages
    first, second = event_ics_files(built_site), event_ics_files(again)
    assert [p.relative_to(built_site.output) for p in first] == [p.relative_to(again.output) for p in second]
    assert len(first) == 1 + 5 + 13
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_global_feed_round_trips_and_reads_in_an_independent_parser(built_site):
    data = (built_site.output / "calendrier" / "tout.ics").read_bytes()
    parsed = icalendar.Calendar.from_ical(data)
    again = icalendar.Calendar.from_ical(parsed.to_ical())

    def summary(cal):
        return sorted((str(e["UID"]), e.start, e.end, str(e["SUMMARY"])) for e in cal.walk("VEVENT"))

    assert summary(again) == summary(parsed) and len(summary(parsed)) == 5
    other = vobject.readOne(data.decode("utf-8"))
    read = sorted((v.uid.value, v.dtstart.value, v.dtend.value, v.summary.value) for v in other.vevent_list)
    assert read == summary(parsed)


# --- A site with a timed event, a draft and a future article -----------------

ARTICLE = """Title: {title}
Date: {date}
Author: Awa Traoré
Institutions: {institutions}
Category: Actualité
Summary: {summary}
{extra}Slug: {slug}
Lang: fr

Corps de l'article.
"""


@pytest.fixture(scope="module")
def agenda_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("agenda")
    content = copy_content(base / "content")
    write_article(
        content,
        "2025/dakar.md",
        ARTICLE.format(
            title="Atelier à Dakar",
            date="2024-09-30",
            institutions="IPRES, ANACMU",
            slug="atelier-dakar",
            summary="Un atelier <b>important</b> &amp; utile <script>alert(1)</script>",
            extra="Event: Atelier régional\nEvent-Start: 12 mars 2025 à 9h30\nEvent-End: 2025-03-12 12:30\n"
            "Event-Location: Siège de l'IPRES, Dakar\n",
        ),
    )
    write_article(
        content,
        "2024/brouillon.md",
        ARTICLE.format(
            title="Brouillon",
            date="2024-09-01",
            institutions="CMSS",
            slug="brouillon",
            summary="Brouillon.",
            extra="Status: draft\nEvent: Réunion secrète du brouillon\nEvent-Start: 2024-10-20\n",
        ),
    )
    write_article(
        content,
        "futur/futur.md",
        ARTICLE.format(
            title="Article futur",
            date=f"{datetime.date.today().year + 1}-01-01",
            institutions="CMSS",
            slug="futur",
            summary="Futur.",
            extra="Event: Réunion sous embargo\nEvent-Start: 2024-10-21\n",
        ),
    )
    built = build_site(content, base / "output", events_today="2024-10-09", with_future_dates=False)
    assert built.status == 0, built.messages
    return built


def test_upcoming_events_come_first_soonest_first(agenda_site):
    upcoming = agenda_site.soup("agenda/").find("section", attrs={"aria-labelledby": "a-venir"})
    names = [p.get_text(strip=True) for p in upcoming.select(".event-name")]
    assert names == ["Session de formation syndicale sur les relations professionnelles", "Atelier régional"]
    assert "le 12 mars 2025, à 9 h 30" in upcoming.get_text()


def test_today_is_marked_in_the_month_grid(agenda_site):
    current = agenda_site.soup("agenda/2024/10/").select('td[aria-current="date"]')
    assert [td.find("time")["datetime"] for td in current] == ["2024-10-09"]
    assert not agenda_site.soup("agenda/2024/11/").select('[aria-current="date"]')


def test_timed_event_in_dakar_carries_its_time_zone(agenda_site):
    calendar = read_ics(agenda_site.output / "calendrier" / "institutions" / "ipres.ics")
    event = calendar.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Africa/Dakar"
    assert event.start == datetime.datetime(2025, 3, 12, 9, 30, tzinfo=event.start.tzinfo)
    assert event.end.hour == 12 and event.end.minute == 30
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Africa/Dakar"]
    data = schema_org_event(agenda_site.soup("2024/09/atelier-dakar/"))
    assert data["startDate"] == "2025-03-12T09:30:00+00:00"


def test_summary_html_never_leaks_into_ics(agenda_site):
    event = read_ics(agenda_site.output / "calendrier" / "institutions" / "ipres.ics").walk("VEVENT")[0]
    description = str(event["DESCRIPTION"])
    assert "important" in description and "&" in description
    assert "<" not in description and "&amp;" not in description


def test_draft_and_future_articles_stay_out_of_the_agenda(agenda_site):
    pages = list((agenda_site.output / "agenda").rglob("*.html")) + event_ics_files(agenda_site)
    assert len(pages) > 60
    for path in pages:
        text = path.read_text(encoding="utf-8")
        for secret in ("Réunion secrète du brouillon", "Réunion sous embargo", "brouillon", "futur"):
            assert secret not in text, (path, secret)


# --- Bad event fields fail the build ------------------------------------------


@pytest.mark.parametrize(
    "fields, expected",
    [
        (
            "Event-Start: 2024-03-10\nEvent-End: 2024-03-08\n",
            "erreur.md:9: Event-End: la fin de l'événement précède son début — vérifiez Event-Start et Event-End",
        ),
        ("Event-Start: 32 brumaire 2024\n", "erreur.md:8: Event-Start: date illisible « 32 brumaire 2024 » —"),
        ("Event-Start: 2024-02-30\n", "erreur.md:8: Event-Start: date impossible « 2024-02-30 »"),
    ],
)
def test_bad_event_dates_fail_with_french_message(content_copy, build, fields, expected):
    write_article(
        content_copy,
        "2024/erreur.md",
        ARTICLE.format(
            title="Erreur",
            date="2024-03-04",
            institutions="CMSS",
            slug="erreur",
            summary="Résumé.",
            extra="Event: Atelier\n" + fields,
        ),
    )
    built = build(content_copy)
    assert built.status != 0
    assert expected in built.messages, built.messages


def test_institution_page_links_its_calendar_only_when_it_organises_events(built_site):
    link = built_site.soup("institutions/rop/").find("a", type="text/calendar")
    assert (built_site.output / "institutions" / "rop" / link["href"]).resolve().name == "rop.ics"
    assert built_site.soup("institutions/ipres/").find("a", type="text/calendar") is None
