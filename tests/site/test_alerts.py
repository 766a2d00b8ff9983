"""`invoke alertes` on the feeds of real production builds, sending through a
local SMTP server that requires STARTTLS and login (tests/smtp_sink.py).

The releases are dated early 2025 and the job is told it is NOW (February
2025), so that what counts as recent never depends on the clock."""

import datetime
import email.utils
import io
import re
import shutil

import pytest
import yaml
from conftest import build_site, copy_content, write_article
from smtp_sink import smtp_sink

from pressroom.content import frdates
from pressroom.publish import outbox
from pressroom.reach import alerts

SITEURL = "https://presse.example.org"
NOW = datetime.datetime(2025, 2, 5, 9, 30, tzinfo=datetime.UTC)
LISTS = {
    "INPS": {
        "annonces": "inps-communiques@listes.example.org",
        "quotidien": "inps-quotidien@listes.example.org",
        "inscription": "inps-communiques-join@listes.example.org",
        "inscription_quotidien": "inps-quotidien-join@listes.example.org",
        "desinscription": "inps-communiques-leave@listes.example.org,inps-quotidien-leave@listes.example.org",
    },
    "CMSS": {"annonces": "cmss-communiques@listes.example.org", "quotidien": "cmss-quotidien@listes.example.org"},
}
CONTACT = {"nom": "Service communication", "courriel": "presse@inps.example.ml", "telephone": "+223 20 00 00 00"}


def release_text(title, date, slug, institutions="INPS", summary="Le chapô du communiqué, en une phrase."):
    return (
        f"Title: {title}\nDate: {date}\nAuthor: Rédaction\nInstitutions: {institutions}\n"
        f"Category: Communiqué de presse\nSummary: {summary}\nSlug: {slug}\nLang: fr\n\nLe corps du communiqué.\n"
    )


class Newsroom:
    """A copy of the content with lists in the registry, its production builds, and the job's state."""

    def __init__(self, folder, sink, content=None, state=None):
        self.folder, self.sink, self.builds = folder, sink, 0
        self.content = folder / "content"
        if content:
            shutil.copytree(content, self.content)
        else:
            self._lists_in_registry()
        self.registry = self.content / "institutions.yml"
        self.state = folder / "deploy" / "alertes-etat.json"
        if state:
            self.state.parent.mkdir()
            shutil.copy(state, self.state)
        self.output = None

    def _lists_in_registry(self):
        copy_content(self.content)
        registry = self.content / "institutions.yml"
        entries = yaml.safe_load(registry.read_text(encoding="utf-8"))
        for acronym, addresses in LISTS.items():
            entries[acronym]["alertes"] = addresses
        entries["INPS"]["contact_presse"] = CONTACT
        registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")

    def write(self, name, *args, **kwargs):
        write_article(self.content, f"2025/{name}.md", release_text(*args, **kwargs))

    def build(self, settings="publishconf.py"):
        self.builds += 1
        overrides = {"siteurl": SITEURL, "feed_domain": SITEURL} if settings == "publishconf.py" else {}
        built = build_site(self.content, self.folder / f"output{self.builds}", settings, **overrides)
        assert built.status == 0, built.messages
        self.output = built.output
        return built

    def run(self, environ=None, **options):
        out = io.StringIO()
        environ = self.sink.environ() if environ is None else environ
        status = alerts.run(self.output, self.registry, self.state, now=NOW, environ=environ, out=out, **options)
        return status, out.getvalue()


@pytest.fixture(scope="module")
def sink(tmp_path_factory):
    with smtp_sink(tmp_path_factory.mktemp("smtp")) as running:
        yield running


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, sink):
    """The seed articles built for production and marked as announced (--init): built once."""
    room = Newsroom(tmp_path_factory.mktemp("baseline"), sink)
    room.build()
    status, report = room.run(init=True)
    assert status == 0, report
    return room


@pytest.fixture
def newsroom(tmp_path, sink, baseline):
    """A copy of the baseline's content and state, with its output: each test adds and rebuilds."""
    sink.reset()
    room = Newsroom(tmp_path, sink, content=baseline.content, state=baseline.state)
    room.output = baseline.output
    return room


@pytest.fixture(scope="module")
def announced_baseline(tmp_path_factory, sink, baseline):
    """The baseline plus one INPS release, announced (one message): built once, for the corrections."""
    sink.reset()
    room = Newsroom(tmp_path_factory.mktemp("announced"), sink, content=baseline.content, state=baseline.state)
    room.write("bareme", "Nouveau barème des allocations familiales", "2025-01-30", "nouveau-bareme-allocations")
    room.build()
    status, report = room.run()
    assert status == 0 and len(sink.messages) == 1, report
    return room


@pytest.fixture
def announced(tmp_path, sink, announced_baseline):
    sink.reset()
    room = Newsroom(tmp_path, sink, content=announced_baseline.content, state=announced_baseline.state)
    room.output = announced_baseline.output
    return room


def test_init_sends_nothing_and_marks_every_release(tmp_path, sink):
    room = Newsroom(tmp_path, sink)
    room.write("recent", "Un communiqué récent", "2025-02-04", "communique-recent", institutions="INPS, CMSS")
    room.build()
    sink.reset()
    assert room.run(init=True)[0] == 0
    assert sink.messages == []
    status, report = room.run()
    assert status == 0 and sink.messages == [], report
    for section in ("annonces", "quotidien"):
        assert room.run(daily=section == "quotidien")[0] == 0
    assert sink.messages == []
    state = outbox.Outbox.load(room.state)
    paths = [path for record in state.records("annonces", "INPS") for path in record["chemins"]]
    assert "/2025/02/communique-recent/" in paths
    assert "/2022/12/journee-porte-ouverte-services-protection-sociale/" in paths


def test_without_state_the_job_refuses_to_send(tmp_path, sink):
    room = Newsroom(tmp_path, sink)
    room.build()
    status, report = room.run()
    assert status == 2 and "invoke alertes --init" in report
    assert not room.state.exists()


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_one_new_release_gives_exactly_one_message(newsroom, tmp_path, mechanism):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.write("ancien", "Un communiqué oublié", "2024-12-02", "communique-oublie")  # outside the window
    newsroom.build()
    before = newsroom.state.read_bytes()
    status, report = newsroom.run(dry_run=True)
    assert status == 0 and "enverrait" in report and "Nouveau barème" in report
    assert newsroom.sink.messages == [] and newsroom.state.read_bytes() == before

    with smtp_sink(tmp_path, exclude=["PLAIN"] if mechanism == "LOGIN" else []) as sink:
        status, report = newsroom.run(environ=sink.environ())
        assert status == 0, report
        assert sink.handler.mechanisms == [mechanism]
        assert len(sink.messages) == 1, report
        message = sink.messages[0]
        status, report = newsroom.run(environ=sink.environ())
        assert status == 0 and len(sink.messages) == 1, report

    assert message["Subject"] == "[INPS] Nouveau barème des allocations familiales"
    assert message["To"] == "inps-communiques@listes.example.org"
    assert message["From"].addresses[0].addr_spec == "communiques@listes.example.org"
    assert message["Reply-To"] == CONTACT["courriel"]
    assert email.utils.parsedate_to_datetime(message["Date"]) == NOW
    assert re.fullmatch(r"<alerte\.[0-9a-f]{32}@presse\.example\.org>", message["Message-ID"])
    assert message["Approved"] == "mot-de-passe-moderation"
    assert message["List-Unsubscribe"] is None
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"{SITEURL}/2025/02/nouveau-bareme-allocations/"
    french_date = frdates.long_date(datetime.date(2025, 2, 3))
    assert french_date == "lundi 3 février 2025"
    for part in (text, html):
        assert french_date in part
        assert "Le chapô du communiqué, en une phrase." in part
        assert link in part
        assert "Service communication" in part and "+223 20 00 00 00" in part
    assert f'<a href="{link}">' in html

    assert message["Content-Language"] == "fr"
    state = outbox.Outbox.load(newsroom.state)
    records = {record["chemins"][0]: record["etat"] for record in state.records("annonces", "INPS")}
    assert records["/2025/02/nouveau-bareme-allocations/"] == "envoyé"
    assert records["/2024/12/communique-oublie/"] == "trop ancien"


def test_the_message_id_depends_only_on_the_release_and_the_list(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.build()
    newsroom.run()
    first = newsroom.sink.messages[0]["Message-ID"]
    newsroom.state.write_text("{}", encoding="utf-8")  # as if the first sending had not been recorded
    newsroom.run()
    again = [m["Message-ID"] for m in newsroom.sink.messages if m["To"] == "inps-communiques@listes.example.org"]
    assert again == [first, first]


CORRECTIONS = {
    "title": {"title": "Nouveau barème des allocations familiales : les montants"},
    "date, same month": {"date": "2025-01-28"},
    "date, another month": {"date": "2025-02-02"},
    "slug": {"slug": "bareme-allocations-familiales-2025"},
    "summary": {"summary": "Un chapô récrit après relecture."},
}


@pytest.mark.parametrize("change", CORRECTIONS.values(), ids=CORRECTIONS.keys())
def test_a_correction_sends_nothing(announced, change):
    newsroom = announced
    fields = {
        "title": "Nouveau barème des allocations familiales",
        "date": "2025-01-30",
        "slug": "nouveau-bareme-allocations",
    } | change
    newsroom.write("bareme", **fields)
    newsroom.build()
    status, report = newsroom.run()
    assert status == 0, report
    assert newsroom.sink.messages == [], report
    status, report = newsroom.run()
    assert status == 0 and newsroom.sink.messages == [], report


def test_a_new_release_with_a_recent_slug_still_in_the_feed_is_sent(announced):
    newsroom = announced
    newsroom.write("bareme-bis", "Nouveau barème : la suite", "2025-02-04", "nouveau-bareme-allocations")
    newsroom.build()
    status, report = newsroom.run()
    assert status == 0 and [m["Subject"] for m in newsroom.sink.messages] == ["[INPS] Nouveau barème : la suite"]


def test_digest_one_message_per_institution_then_none(newsroom):
    newsroom.write("a", "Premier communiqué du jour", "2025-02-05", "premier-du-jour", institutions="INPS, CMSS")
    newsroom.write("b", "Second communiqué du jour", "2025-02-05", "second-du-jour")
    newsroom.build()
    status, report = newsroom.run(daily=True)
    assert status == 0, report
    by_list = {m["To"]: m for m in newsroom.sink.messages}
    assert sorted(by_list) == ["cmss-quotidien@listes.example.org", "inps-quotidien@listes.example.org"]
    inps = by_list["inps-quotidien@listes.example.org"]
    assert inps["Subject"] == "[INPS] Résumé du mercredi 5 février 2025"
    text = inps.get_body(("plain",)).get_content()
    assert "Premier communiqué du jour" in text and "Second communiqué du jour" in text
    cmss = by_list["cmss-quotidien@listes.example.org"].get_body(("html",)).get_content()
    assert "Premier communiqué du jour" in cmss and "Second communiqué du jour" not in cmss
    status, report = newsroom.run(daily=True)
    assert status == 0 and len(newsroom.sink.messages) == 2, report
    status, report = newsroom.run()  # the announce lists are a separate record: each release once there too
    assert status == 0 and len(newsroom.sink.messages) == 5, report


def test_smtp_failure_part_way_then_the_rerun_sends_only_what_is_missing(newsroom):
    newsroom.write("commun", "Communiqué conjoint INPS et CMSS", "2025-02-04", "communique-conjoint", "CMSS, INPS")
    newsroom.build()
    newsroom.sink.handler.accept_only = 1
    status, report = newsroom.run()
    assert status == 1, report
    assert [m["To"] for m in newsroom.sink.messages] == ["cmss-communiques@listes.example.org"]
    assert "Panne simulée" in report
    newsroom.sink.reset()
    status, report = newsroom.run()
    assert status == 0, report
    assert [m["To"] for m in newsroom.sink.messages] == ["inps-communiques@listes.example.org"]


def test_a_wrong_password_records_nothing(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.write("ancien", "Un communiqué oublié", "2024-12-02", "communique-oublie")
    newsroom.build()
    before = newsroom.state.read_bytes()
    status, report = newsroom.run(environ=newsroom.sink.environ(password="mauvais"))
    assert status == 1
    assert "identifiants refusés" in report and "ALERTES_SMTP_PASSWORD" in report
    assert "Traceback" not in report and "mauvais" not in report
    assert newsroom.sink.messages == [] and newsroom.state.read_bytes() == before


def test_development_feeds_are_refused(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.build("pelicanconf.py")
    before = newsroom.state.read_bytes()
    status, report = newsroom.run()
    assert status == 2
    assert "127.0.0.1" in report and "construction de développement" in report
    assert re.search(r"feeds/institutions/\w[\w-]*\.atom\.xml:\d+: (id|link): ", report)
    assert newsroom.sink.messages == [] and newsroom.state.read_bytes() == before


def test_institution_page_offers_email_alerts(newsroom):
    page = (newsroom.output / "institutions" / "inps" / "index.html").read_text(encoding="utf-8")
    from bs4 import BeautifulSoup

    section = BeautifulSoup(page, "html.parser").select_one("section.email-alerts")
    assert section.h2.get_text(strip=True) == "Recevoir les communiqués par e-mail"
    links = {a["href"]: a.get_text(" ", strip=True) for a in section.find_all("a")}
    assert set(links) == {
        "mailto:inps-communiques-join@listes.example.org",
        "mailto:inps-quotidien-join@listes.example.org",
        "mailto:inps-communiques-leave@listes.example.org,inps-quotidien-leave@listes.example.org",
    }
    canam = (newsroom.output / "institutions" / "canam" / "index.html").read_text(encoding="utf-8")
    assert "email-alerts" not in canam and "par e-mail" not in canam
    contacts = BeautifulSoup(
        (newsroom.output / "contacts-presse" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    [listed] = contacts.select("dd section.email-alerts")  # INPS only: the one institution with lists
    assert {a["href"] for a in listed.find_all("a")} == set(links)


def test_the_task_without_a_built_site_says_so_in_one_line(tmp_path):
    out = io.StringIO()
    status = alerts.main(output=str(tmp_path / "rien"), state_path=str(tmp_path / "etat.json"), out=out)
    assert status == 2
    assert out.getvalue().count("\n") == 1 and "invoke publish" in out.getvalue()


def test_a_typo_in_the_lists_of_the_registry_is_reported(newsroom):
    text = newsroom.registry.read_text(encoding="utf-8").replace("    annonces: cmss", "    anonces: cmss")
    newsroom.registry.write_text(text.replace("quotidien: inps-quotidien@", "quotidien: inps-quotidien "), "utf-8")
    before = newsroom.state.read_bytes()
    status, report = newsroom.run()
    assert status == 2 and newsroom.sink.messages == [] and newsroom.state.read_bytes() == before
    assert re.search(r"institutions\.yml:\d+: alertes: CMSS : clé inconnue « anonces » — clés possibles", report)
    assert "INPS : quotidien : adresse e-mail invalide" in report


def test_one_run_at_a_time(newsroom, monkeypatch):
    monkeypatch.setenv("PRESSROOM_ATTENTE", "0")
    with outbox.locked(newsroom.state, command="invoke publish"):
        status, report = newsroom.run()
    assert status == 1 and "Envois arrêtés : « invoke publish »" in report
    assert newsroom.run()[0] == 0


def test_a_new_release_reusing_the_slug_of_one_that_left_the_feed_is_sent(announced):
    newsroom = announced
    (newsroom.content / "articles" / "2025" / "bareme.md").unlink()  # the announced release leaves the feed
    newsroom.write("bareme-2", "Un autre barème", "2025-02-04", "nouveau-bareme-allocations")
    newsroom.build()
    status, report = newsroom.run()
    assert status == 0 and [m["Subject"] for m in newsroom.sink.messages] == ["[INPS] Un autre barème"], report


def test_the_digest_is_headed_with_the_day_it_covers(newsroom):
    newsroom.write("veille", "Communiqué de la veille", "2025-02-04", "communique-veille")
    newsroom.build()
    status, report = newsroom.run(daily=True)  # NOW is the 5th: the digest covers the 4th
    assert status == 0, report
    [inps] = [m for m in newsroom.sink.messages if m["To"] == "inps-quotidien@listes.example.org"]
    assert inps["Subject"] == "[INPS] Résumé du mardi 4 février 2025"


def test_an_http_site_address_is_refused(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    built = build_site(
        newsroom.content,
        newsroom.folder / "http",
        "publishconf.py",
        **{key: "http://presse.example.org" for key in ("siteurl", "feed_domain")},
    )
    newsroom.output = built.output
    before = newsroom.state.read_bytes()
    status, report = newsroom.run()
    assert status == 2 and newsroom.sink.messages == [] and newsroom.state.read_bytes() == before
    assert re.search(r"inps\.atom\.xml:\d+: link: adresse non chiffrée « http://presse", report)
    assert "Traceback" not in report


def test_without_a_registry_contact_the_site_contact_is_given(newsroom):
    newsroom.write("cmss", "Communiqué de la CMSS", "2025-02-04", "communique-cmss", institutions="CMSS")
    newsroom.build()
    site_contact = {"nom": "Cellule presse du portail", "courriel": "presse@portail.example.org", "telephone": ""}
    status, report = newsroom.run(settings={"PRESS_CONTACT_DEFAULT": site_contact})
    assert status == 0, report
    [message] = newsroom.sink.messages
    assert "CMSS" in message["Subject"]
    for part in ("plain", "html"):
        assert "Cellule presse du portail" in message.get_body((part,)).get_content()


def test_without_the_moderator_password_nothing_is_posted_to_be_held(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.build()
    before = newsroom.state.read_bytes()
    status, report = newsroom.run(environ=newsroom.sink.environ(approve=""))
    assert status == 2 and newsroom.sink.messages == [] and newsroom.state.read_bytes() == before
    assert "ALERTES_LIST_APPROVE absent" in report and "retiendrait" in report


def test_a_message_whose_sending_was_cut_is_never_sent_again_by_itself(newsroom):
    newsroom.write("bareme", "Nouveau barème des allocations familiales", "2025-02-03", "nouveau-bareme-allocations")
    newsroom.build()
    box = outbox.Outbox.load(newsroom.state)
    feeds, sources = alerts.read_feeds(newsroom.output, alerts.Registry.load(newsroom.registry), {})
    [release] = [r for rs in feeds.values() for r in rs if r.path == "/2025/02/nouveau-bareme-allocations/"]
    box.reserve("annonces", "INPS", [with_source := alerts.with_source(release, sources)], NOW)  # killed here
    assert with_source.source
    status, report = newsroom.run()
    assert status == 1 and newsroom.sink.messages == [], report
    assert "Envoi incertain, non renvoyé : INPS (annonces)" in report and "--incertains=envoye" in report
    status, report = newsroom.run(uncertain="renvoyer")
    assert status == 0 and len(newsroom.sink.messages) == 1, report
    status, report = newsroom.run()
    assert status == 0 and len(newsroom.sink.messages) == 1, report
