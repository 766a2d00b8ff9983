"""`invoke diffusion` on real production builds, posting to fakes of Telegram, Mastodon and Bluesky on
127.0.0.1 (tests/network_fakes.py): the exact requests, exactly once across reruns and failures, the
rate-limit wait, a channel down posting on the next run, a correction and a withdrawal posting nothing.

The releases are dated early February 2025 and the job is told it is NOW, so that what counts as
recent never depends on the clock."""

import datetime
import importlib
import io
import json
import shutil

import pytest
import yaml
from conftest import build_site, copy_content, write_article
from network_fakes import FakeBluesky, FakeMastodon, FakeTelegram, running
from showcase import photo_bytes

from pressroom.build import treelock
from pressroom.reach.diffusion import bluesky, run
from pressroom.reach.diffusion.posts import graphemes, mastodon_length, utf16_units

SITEURL = "https://presse.example.org"
NOW = datetime.datetime(2025, 2, 5, 9, 30, tzinfo=datetime.UTC)
TOKEN = "123456:ABC-jeton-de-test"
CHANNELS = {
    "INPS": {"telegram": "@inps_mali", "mastodon": "https://social.example.org/@inps", "bluesky": "inps.example.ml"},
    "CMSS": {"telegram": "-1001234567890"},
}
PHOTO_ALT = "Des retraités devant le guichet de l’INPS à Bamako, un matin de février"
SUMMARY = (
    "L’Institut National de Prévoyance Sociale revalorise de 5 % les pensions de retraite à compter du 1er mars ; "
    "les retraités de Kayes, Ségou, Sikasso, Gao, Tombouctou et Mopti n’ont aucune démarche à faire 👴🏿👵🏾, "
    "le nouveau montant figure sur leur relevé."
)  # under the gate's 300 characters, over Bluesky's 300 graphemes once with the title and the link


def release_text(title, slug, institutions, extra=""):
    return (
        f"Title: {title}\nDate: 2025-02-04 10:00\nAuthor: Rédaction\nInstitutions: {institutions}\n"
        f"Category: Communiqué de presse\nSummary: {SUMMARY if institutions == 'INPS' else 'Court chapô.'}\n"
        f"Slug: {slug}\nLang: fr\n{extra}\nLe corps du communiqué.\n"
    )


PENSIONS = ("Revalorisation des pensions de retraite", "revalorisation-pensions", "INPS")
PENSIONS_PHOTO = f"Image: images/guichet.jpg\nImage-Alt: {PHOTO_ALT}\n"
CMSS_RELEASE = ("Nouveaux horaires des guichets de la CMSS", "horaires-guichets-cmss", "CMSS")


class Newsroom:
    def __init__(self, folder):
        self.folder, self.content, self.builds = folder, folder / "content", 0
        copy_content(self.content)
        registry = self.content / "institutions.yml"
        entries = yaml.safe_load(registry.read_text(encoding="utf-8"))
        for acronym, accounts in CHANNELS.items():
            entries[acronym]["diffusion"] = accounts
        registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
        self.registry = registry
        (self.content / "images").mkdir(exist_ok=True)
        (self.content / "images" / "guichet.jpg").write_bytes(photo_bytes(size=(1600, 1000), gps=False))

    def write(self, name, fields, extra=""):
        write_article(self.content, f"2025/{name}.md", release_text(*fields, extra=extra))

    def build(self):
        self.builds += 1
        output = self.folder / f"output{self.builds}"
        built = build_site(self.content, output, "publishconf.py", siteurl=SITEURL, feed_domain=SITEURL)
        assert built.status == 0, built.messages
        return built


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """Three production builds: the seed articles (marked as posted by --init), then two new releases,
    then the INPS one corrected and the CMSS one withdrawn."""
    newsroom = Newsroom(tmp_path_factory.mktemp("diffusion"))
    newsroom.baseline = newsroom.build()
    newsroom.state = newsroom.folder / "communiques.etat" / "envois.json"
    status, report = job(newsroom, newsroom.baseline, newsroom.state, {}, init=True)
    assert status == 0 and "État initialisé" in report, report
    newsroom.write("pensions", PENSIONS, PENSIONS_PHOTO)
    newsroom.write("horaires", CMSS_RELEASE)
    newsroom.fresh = newsroom.build()
    newsroom.write(
        "pensions",
        ("Revalorisation de 5 % des pensions de retraite", "revalorisation-5-pensions", "INPS"),
        PENSIONS_PHOTO + "Corrections: 2025-02-05 — Taux précisé dans le titre et l'adresse\n",
    )
    newsroom.write("horaires", CMSS_RELEASE, "Withdrawn: 2025-02-05 — Horaires inchangés finalement\n")
    newsroom.corrected = newsroom.build()
    return newsroom


def job(room, built, state, environ, sleep=None, **options):
    out = io.StringIO()
    status = run.run(
        built.output, room.registry, state, now=NOW, environ=environ, out=out, sleep=sleep or no_wait, **options
    )
    return status, out.getvalue()


def no_wait(seconds):
    raise AssertionError(f"attente inattendue de {seconds} s")


@pytest.fixture
def networks():
    telegram = FakeTelegram(TOKEN)
    mastodon = FakeMastodon("jeton-mastodon-inps")
    sky = FakeBluesky("inps.example.ml", "mot-de-passe-app")
    with running(telegram, mastodon, sky):
        yield telegram, mastodon, sky


def environ_for(networks):
    telegram, mastodon, sky = networks
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": telegram.url,
        "MASTODON_TOKEN_INPS": "jeton-mastodon-inps",
        "MASTODON_API_URL_INPS": mastodon.url,
        "BLUESKY_PDS_URL": sky.url,
        "BLUESKY_APP_PASSWORD_INPS": "mot-de-passe-app",
    }


@pytest.fixture
def state(tmp_path, room):
    path = tmp_path / "communiques.etat" / "envois.json"
    path.parent.mkdir()
    shutil.copy(room.state, path)
    return path


def counts(networks):
    telegram, mastodon, sky = networks
    return len(telegram.posts), len(mastodon.statuses), len(sky.records)


def photo_file(built, alt=PHOTO_ALT):
    """The JPEG of the lead photo in the built page, as the reader's browser gets it."""
    image = built.soup("2025/02/revalorisation-pensions/").select_one("figure.lead-photo img")
    assert image["alt"] == alt
    return built.output / image["src"].removeprefix(SITEURL + "/")


def test_a_new_release_is_posted_once_on_each_channel_with_the_exact_requests(room, state, networks):
    telegram, mastodon, sky = networks
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0, report
    link = f"{SITEURL}/2025/02/revalorisation-pensions/"
    photo = photo_file(room.fresh).read_bytes()

    # Telegram: the INPS release with its photo and a caption within 1,024 UTF-16 units; the CMSS one as text.
    (photo_method, sent), (text_method, message) = sorted(telegram.posts, key=lambda post: post[0], reverse=True)
    assert photo_method == "sendPhoto" and sent["chat_id"] == "@inps_mali"
    assert sent["photo"][1] == photo and sent["photo"][2] == "image/jpeg"
    whole = f"{PENSIONS[0]}\n\n{SUMMARY}\n\n{link}"  # within Telegram's and Mastodon's limits: not cut
    assert sent["caption"] == whole and utf16_units(whole) <= 1024
    assert text_method == "sendMessage" and message["chat_id"] == "-1001234567890"
    assert message["text"] == f"{CMSS_RELEASE[0]}\n\nCourt chapô.\n\n{SITEURL}/2025/02/horaires-guichets-cmss/"

    # Mastodon: the photo with its description, then one status within the server's 500 characters.
    (media,) = mastodon.media.values()
    assert media["description"] == PHOTO_ALT and media["file"][1] == photo
    (status_sent,) = mastodon.statuses
    assert status_sent["media_ids"] == ["1"] and status_sent["language"] == "fr"
    assert status_sent["status"] == whole and mastodon_length(23)(whole) <= 500
    assert all(r.headers["authorization"] == "Bearer jeton-mastodon-inps" for r in mastodon.to("/api/v1/statuses"))

    # Bluesky: a session for the handle, the photo as a blob, one post of at most 300 graphemes with its facet.
    assert sky.to("createSession")[0].json() == {"identifier": "inps.example.ml", "password": "mot-de-passe-app"}
    ((content_type, blob),) = sky.blobs
    assert content_type == "image/jpeg" and blob == photo  # under 1,000,000 bytes: sent as it is
    (created,) = sky.records
    assert created["repo"] == sky.did and created["collection"] == "app.bsky.feed.post"
    record = created["record"]
    assert graphemes(whole) > bluesky.LIMIT >= graphemes(record["text"])
    assert record["text"].startswith(PENSIONS[0] + "\n\nL’Institut") and record["text"].endswith("…\n\n" + link)
    ((facet),) = record["facets"]
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert record["text"].encode("utf-8")[start:end] == link.encode("utf-8")
    assert facet["features"] == [{"$type": "app.bsky.richtext.facet#link", "uri": link}]
    card = record["embed"]["external"]
    assert record["embed"]["$type"] == "app.bsky.embed.external" and card["uri"] == link
    assert card["title"] == PENSIONS[0] and card["thumb"]["ref"] == {"$link": "bafkreifake1"}
    assert "Publié : Telegram @inps_mali (INPS) « Revalorisation des pensions de retraite »" in report

    # A rerun posts nothing more, anywhere.
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (2, 1, 1), report
    assert "Diffusion : 0 publication(s), 0 en attente." in report


def test_a_correction_and_a_withdrawal_post_nothing(room, state, networks):
    """The correction changes the title and the address at once: only its source file still says it is the same."""
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (2, 1, 1), report
    status, report = job(room, room.corrected, state, environ_for(networks))
    assert status == 0 and counts(networks) == (2, 1, 1), report
    records = json.loads(state.read_text(encoding="utf-8"))["telegram"]["@inps_mali"]
    (record,) = [record for record in records if record.get("sources") == ["articles/2025/pensions.md"]]
    assert record["etat"] == "envoyé"
    assert record["chemins"] == ["/2025/02/revalorisation-5-pensions/", "/2025/02/revalorisation-pensions/"]


def test_a_rate_limit_is_waited_for_then_the_post_is_made_once(room, state, networks):
    telegram = networks[0]
    telegram.fail("/sendPhoto", 429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 7}})
    waits = []
    status, report = job(room, room.fresh, state, environ_for(networks), sleep=waits.append)
    assert status == 0, report
    assert waits == [7.0]
    assert "Telegram @inps_mali (INPS) : trop de publications, nouvel essai dans 7 s" in report
    assert len(telegram.to("/sendPhoto")) == 2 and counts(networks) == (2, 1, 1)


def test_a_retry_after_header_too_long_leaves_the_post_for_the_next_run(room, state, networks):
    mastodon = networks[1]
    mastodon.fail("/api/v1/statuses", 429, {"error": "Too many requests"}, {"Retry-After": "3600"})
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 1 and counts(networks) == (2, 0, 1), report
    assert "attente de 3600 s demandée — nouvel essai au prochain passage" in report
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (2, 1, 1), report


def test_a_channel_down_posts_on_the_next_run_and_nothing_twice_elsewhere(room, state, networks):
    telegram, mastodon, sky = networks
    mastodon.refusing = True
    sky.fail("com.atproto.repo.createRecord", 503, {"error": "InternalServerError"})
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 1 and counts(networks) == (2, 0, 0), report
    assert "Mastodon https://social.example.org/@inps (INPS) injoignable (RemoteProtocolError)" in report
    assert "Bluesky @inps.example.ml (INPS) : erreur du serveur (HTTP 503) — nouvel essai au prochain passage" in report
    assert "Diffusion : 2 publication(s), 2 en attente." in report
    mastodon.refusing = False
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (2, 1, 1), report


def test_a_channel_without_its_secret_is_one_french_line_and_the_others_post(room, state, networks):
    environ = environ_for(networks)
    del environ["MASTODON_TOKEN_INPS"]
    status, report = job(room, room.fresh, state, environ)
    assert status == 1 and counts(networks) == (2, 0, 1), report
    (line,) = [line for line in report.splitlines() if "MASTODON_TOKEN_INPS" in line]
    assert line == (
        "Mastodon https://social.example.org/@inps (INPS) : MASTODON_TOKEN_INPS absent — "
        "ce compte attend son jeton d'accès ; 1 publication(s) en attente"
    )
    assert "Traceback" not in report


def test_a_token_never_goes_to_an_address_in_clear(room, state, networks):
    environ = dict(environ_for(networks), TELEGRAM_API_URL="http://api.telegram.example.org")
    status, report = job(room, room.fresh, state, environ)
    assert status == 1 and counts(networks) == (0, 1, 1), report
    assert "TELEGRAM_API_URL « http://api.telegram.example.org » refusée : écrivez une adresse en https://" in report


def test_dry_run_prints_each_post_and_the_whatsapp_text_and_changes_nothing(room, state, networks):
    before = state.read_bytes()
    status, report = job(room, room.fresh, state, {}, dry_run=True)
    assert status == 0 and counts(networks) == (0, 0, 0) and state.read_bytes() == before, report
    assert "--- telegram @inps_mali :\nRevalorisation des pensions de retraite\n\nL’Institut National" in report
    assert "--- bluesky inps.example.ml :" in report
    assert f"--- WhatsApp (à copier à la main) :\n{PENSIONS[0]}\n\n{SUMMARY.strip()}\n\n{SITEURL}/" in report


def test_a_second_run_at_the_same_time_is_refused(room, state, networks, monkeypatch):
    """The outbox's own lock: the one the e-mail alerts take, so the two jobs never write it at once."""
    monkeypatch.setenv(treelock.WAIT_VARIABLE, "0")
    with treelock.tree_lock(str(state), "invoke alertes"):
        status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 1 and counts(networks) == (0, 0, 0)
    assert "Diffusion non lancée : Envois arrêtés : « invoke alertes » (processus" in report
    assert json.loads(state.read_text(encoding="utf-8")) == json.loads(room.state.read_text(encoding="utf-8"))


def test_a_post_whose_answer_is_lost_is_never_posted_again_by_itself(room, state, networks):
    """The request that posts left, the connection closed without an answer: maybe online. The record
    stays « en cours », each run says so, and only the operator's --incertains settles it."""
    telegram = networks[0]
    telegram.fail("/sendPhoto", None)
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 1 and counts(networks) == (1, 1, 1) and len(telegram.to("/sendPhoto")) == 1, report
    assert "Publication incertaine : « Revalorisation des pensions de retraite » — Telegram @inps_mali" in report
    (record,) = [
        r
        for r in json.loads(state.read_text(encoding="utf-8"))["telegram"]["@inps_mali"]
        if r.get("etat") == "en cours"
    ]
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 1 and counts(networks) == (1, 1, 1) and len(telegram.to("/sendPhoto")) == 1, report
    assert "Envoi incertain, non renvoyé : @inps_mali (telegram) 2025-02-04 revalorisation" in report
    status, report = job(room, room.fresh, state, environ_for(networks), uncertain="envoye")
    assert status == 0 and counts(networks) == (1, 1, 1) and len(telegram.to("/sendPhoto")) == 1, report
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (1, 1, 1) and len(telegram.to("/sendPhoto")) == 1, report
    assert "incertain" not in report


def test_without_a_state_nothing_is_posted_and_init_is_suggested(room, tmp_path, networks):
    status, report = job(room, room.fresh, tmp_path / "absent.json", environ_for(networks))
    assert status == 2 and counts(networks) == (0, 0, 0)
    assert "fichier d'état absent — lancez d'abord `invoke diffusion --init`" in report


def test_the_institution_page_and_the_contacts_page_link_the_public_accounts(room):
    for page in ("institutions/inps/", "contacts-presse/"):
        section = room.fresh.soup(page).select_one("section.channels[aria-labelledby='reseaux-inps']")
        links = [(a["href"], a.get_text()) for a in section.select("a")]
        assert links == [
            ("https://t.me/inps_mali", "@inps_mali"),
            ("https://social.example.org/@inps", "@inps@social.example.org"),
            ("https://bsky.app/profile/inps.example.ml", "@inps.example.ml"),
        ]
        assert section.select("script, iframe") == []
    assert room.fresh.soup("institutions/cmss/").select_one("section.channels") is None  # a private channel only


def test_the_mastodon_server_s_own_limit_is_read_and_a_photo_in_processing_waited_for(room, state):
    telegram, sky = FakeTelegram(TOKEN), FakeBluesky("inps.example.ml", "mot-de-passe-app")
    mastodon = FakeMastodon("jeton-mastodon-inps", max_characters=120, processing=2)
    networks = (telegram, mastodon, sky)
    waits = []
    with running(*networks):
        status, report = job(room, room.fresh, state, environ_for(networks), sleep=waits.append)
    assert status == 0 and counts(networks) == (2, 1, 1), report
    (sent,) = mastodon.statuses
    link = f"{SITEURL}/2025/02/revalorisation-pensions/"
    assert 100 < mastodon_length(23)(sent["status"]) <= 120 and sent["status"].endswith("…\n\n" + link)
    assert waits == [1, 1, 1] and len(mastodon.to("/api/v1/media/1")) == 3


def test_a_channel_new_to_the_state_starts_with_the_next_release(room, state, networks, tmp_path):
    entries = yaml.safe_load(room.registry.read_text(encoding="utf-8"))
    entries["CMSS"]["diffusion"]["mastodon"] = "https://social.example.org/@cmss"
    registry = tmp_path / "institutions.yml"
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    out = io.StringIO()
    environ = environ_for(networks)
    status = run.run(room.fresh.output, registry, state, now=NOW, environ=environ, out=out, sleep=no_wait)
    report = out.getvalue()
    assert status == 0 and counts(networks) == (2, 1, 1), report
    assert "Nouveau canal mastodon https://social.example.org/@cmss (CMSS) : 3 communiqué(s) déjà en ligne" in report
    recorded = json.loads(state.read_text(encoding="utf-8"))["mastodon"]["https://social.example.org/@cmss"]
    assert {record["etat"] for record in recorded} == {"initialisé"} and len(recorded) == 3


def test_a_release_older_than_the_window_is_recorded_without_being_posted(room, state, networks):
    out = io.StringIO()
    later = NOW + datetime.timedelta(days=30)
    status = run.run(room.fresh.output, room.registry, state, now=later, environ=environ_for(networks), out=out)
    report = out.getvalue()
    assert status == 0 and counts(networks) == (0, 0, 0), report
    assert "Non publié (trop ancien) : telegram @inps_mali « Revalorisation des pensions de retraite »" in report
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 0 and counts(networks) == (0, 0, 0), report


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"telegram": {"@inps_mali": [}', "envois.json:1: état: JSON illisible"),
        ('["telegram"]', "envois.json:1: état: contenu inattendu (ce n'est pas un état d'envois)"),
        ('{"telegram": {"@inps_mali": "tout"}}', "état: contenu inattendu"),
    ],
)
def test_a_damaged_state_stops_the_run_with_one_french_line_and_changes_nothing(room, state, networks, text, expected):
    state.write_text(text, encoding="utf-8")
    status, report = job(room, room.fresh, state, environ_for(networks))
    assert status == 2 and counts(networks) == (0, 0, 0), report
    assert expected in report and "Traceback" not in report
    assert state.read_text(encoding="utf-8") == text


def test_an_unreadable_photo_leaves_only_that_post_pending(room, state, networks, tmp_path):
    damaged = tmp_path / "site"
    shutil.copytree(room.fresh.output, damaged)
    photo = damaged / photo_file(room.fresh).relative_to(room.fresh.output)
    photo.write_bytes(b"pas une photo" * 100_000)  # over 1,000,000 bytes: Bluesky's thumbnail must re-encode it
    out = io.StringIO()
    status = run.run(damaged, room.registry, state, now=NOW, environ=environ_for(networks), out=out, sleep=no_wait)
    report = out.getvalue()
    assert status == 1 and counts(networks) == (2, 1, 0), report
    assert (
        "Non publié : « Revalorisation des pensions de retraite » — Bluesky @inps.example.ml (INPS) : photo illisible"
        in report
    )
    assert "Traceback" not in report


@pytest.mark.parametrize(
    ("job", "heading"),
    [("pressroom.reach.alerts", "Alertes impossibles"), ("pressroom.reach.diffusion.run", "Diffusion impossible")],
)
def test_a_publication_folder_without_the_site_is_said_for_the_job_that_read_it(tmp_path, monkeypatch, job, heading):
    """Both jobs read what the publication put online; an empty destination is one French line, headed
    by the job that met it, and nothing is sent."""
    if not shutil.which("rsync"):
        pytest.skip("rsync absent")
    monkeypatch.setenv("PUBLISH_DEST", str(tmp_path / "serveur"))
    (tmp_path / "serveur").mkdir()
    out = io.StringIO()
    status = importlib.import_module(job).main(state_path=str(tmp_path / "envois.json"), out=out)
    assert status != 0
    assert out.getvalue().startswith(f"{heading} : feeds/institutions/ introuvable dans la publication"), out.getvalue()
    assert not (tmp_path / "envois.json").exists()
