"""One day of operation, told as it happens: an officer commits an embargoed release
with a photo and an attachment; the push pipeline publishes, nothing visible, nothing
mailed; the scheduled run after the embargo (time moved by faketime, not waited for)
puts it online, mails each list once and posts once on each network channel of its
institutions; then a correction, a slug change, a withdrawal and a batch import, none
of which mails or posts anything."""

import datetime
import io
import re
import shutil

import feedparser
import icalendar
import pytest
from browser_tools import headless_chromium, visit
from operation import CHANNELS, LISTS, workflow_steps
from parts import content_with_lists, release_files
from preview_tools import SETTINGS, assert_same_as_full_build
from stage import operation, sink  # noqa: F401 - fixtures
from tools import ROOT

from pressroom.preview import live as preview

pytestmark = pytest.mark.rehearsal

SLUG = "inps-inscriptions-independants"


def embargo_time():
    """Three hours from now, to the minute (the article's Date holds no seconds)."""
    now = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0, tzinfo=None)
    return now + datetime.timedelta(hours=3)


def address(embargo, slug=SLUG):
    return f"/{embargo:%Y}/{embargo:%m}/{slug}/"


def assert_no_step_failed(pipeline):
    failed = [(step.arguments, step.output) for step in pipeline.steps if step.status]
    assert not failed, failed


def feed_links(operation, acronym):
    status, text = operation.get(f"/feeds/institutions/{acronym.lower()}.atom.xml")
    assert status == 200
    return [entry.link for entry in feedparser.parse(text).entries]


# Telegram: INPS's channel and CMSS's; Mastodon and Bluesky: INPS's account.
ONE_POST_EACH = (2, 1, 1)


def assert_one_post_per_channel(operation, page):
    """Each configured channel of the release's institutions got it once, with its published address."""
    telegram, mastodon, sky = operation.networks
    assert operation.posts() == ONE_POST_EACH
    chats = sorted(str(fields["chat_id"]) for _, fields in telegram.posts)
    assert chats == sorted(CHANNELS[acronym]["telegram"] for acronym in ("INPS", "CMSS"))
    assert all(page in fields.get("caption", fields.get("text", "")) for _, fields in telegram.posts)
    assert all(page in status["status"] for status in mastodon.statuses)
    assert all(record["record"]["embed"]["external"]["uri"].endswith(page) for record in sky.records)


def test_the_workflow_steps_are_the_tasks_the_rehearsal_runs():
    pushed = [["publish"], ["adresses"], ["alertes"], ["diffusion"]]
    assert [arguments for _, arguments in workflow_steps("push")] == pushed
    assert ("alertes", ["alertes", "--quotidien"]) in workflow_steps("digest")
    assert ("alertes", ["alertes", "--quotidien"]) not in workflow_steps("schedule")


def test_one_day_of_operation(operation):
    sink, embargo = operation.sink, embargo_time()
    page = address(embargo)

    operation.commit("Communiqué sous embargo : inscriptions des indépendants", release_files(embargo))
    pushed = operation.pipeline("push")
    assert_no_step_failed(pushed)
    assert operation.get(page)[0] == 404
    assert not any(page in link for link in feed_links(operation, "INPS"))
    assert sink.messages == [] and sink.held == [] and operation.posts() == (0, 0, 0)

    after_embargo = embargo + datetime.timedelta(minutes=10)
    scheduled = operation.pipeline("schedule", now=after_embargo)
    assert_no_step_failed(scheduled)
    status, html = operation.get(page)
    assert status == 200 and "travailleurs indépendants" in html
    assert sorted(message["To"] for message in sink.messages) == sorted(
        LISTS[acronym]["annonces"] for acronym in ("INPS", "CMSS")
    )
    assert all(page in message.get_body(("plain",)).get_content() for message in sink.messages)
    assert_one_post_per_channel(operation, page)
    assert any(link.endswith(page) for link in feed_links(operation, "INPS"))
    status, calendar = operation.get("/calendrier/tout.ics")
    events = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
    assert any("inscription" in str(event["SUMMARY"]) for event in events)
    status, _ = operation.get("/fichiers/inps-communique-signe.pdf")
    assert status == 200
    with headless_chromium() as browser, visit(browser, operation.base_url(), page.lstrip("/")) as seen:
        assert "travailleurs indépendants" in seen.page.locator("h1").inner_text()
        assert seen.page.locator("img[alt^='Le guichet']").count() == 1
        assert seen.page.get_by_text("Communiqué signé").count() >= 1

    again = operation.pipeline("schedule", now=after_embargo + datetime.timedelta(minutes=15))
    assert_no_step_failed(again)
    assert len(sink.messages) == 2  # the job run again sends nothing
    assert operation.posts() == ONE_POST_EACH  # nor posts anything

    later = after_embargo + datetime.timedelta(hours=1)
    correction = f"Modified: {later:%Y-%m-%d}\nCorrections: {later:%Y-%m-%d} — Adresse de l'agence corrigée\n"
    operation.commit("Correction du lieu", release_files(embargo, extra=correction))
    corrected = operation.pipeline("push", now=later)
    assert_no_step_failed(corrected)
    html = operation.get(page)[1]
    assert "Mis à jour le" in html and "agence corrigée" in html
    assert len(sink.messages) == 2 and operation.posts() == ONE_POST_EACH

    new_slug = "inscriptions-travailleurs-independants"
    files = release_files(embargo, slug=new_slug, extra=correction)
    operation.commit("Nouvelle adresse", files)
    moved = operation.pipeline("push", now=later + datetime.timedelta(minutes=5))
    assert_no_step_failed(moved)
    status, redirect = operation.get(page)
    assert status == 200 and address(embargo, new_slug) in redirect and 'http-equiv="refresh"' in redirect
    assert operation.get(address(embargo, new_slug))[0] == 200
    assert len(sink.messages) == 2 and operation.posts() == ONE_POST_EACH

    withdrawn = correction + f"Withdrawn: {later:%Y-%m-%d} — Inscriptions reportées\n"
    operation.commit("Retrait", release_files(embargo, slug=new_slug, extra=withdrawn))
    retired = operation.pipeline("push", now=later + datetime.timedelta(minutes=10))
    assert_no_step_failed(retired)
    status, html = operation.get(address(embargo, new_slug))
    assert status == 200 and "Retiré le" in html and "Inscriptions reportées" in html
    assert not any(new_slug in link for link in feed_links(operation, "INPS"))
    assert new_slug not in operation.get("/")[1]
    assert len(sink.messages) == 2 and operation.posts() == ONE_POST_EACH

    clone = operation.checkout()
    batch_folder = clone / "lot"
    batch_folder.mkdir()
    for page in ("agencecmu-1.html", "dakaractu-2.html"):
        shutil.copy(ROOT / "tests" / "fixtures" / "corpus" / page, batch_folder)
    imported = operation.task(clone, ["import", str(batch_folder / "*.html")])
    assert imported.status == 0, imported.output
    drafts = sorted(p.relative_to(clone).as_posix() for p in (clone / "content" / "articles").rglob("*.md"))
    new_files = [name for name in drafts if not (operation.desk / name).exists()]
    assert new_files, imported.output
    operation.commit("Import d'archives", {name: (clone / name).read_bytes() for name in new_files})
    batch = operation.pipeline("push", now=later + datetime.timedelta(minutes=20))
    assert_no_step_failed(batch)
    for name in new_files:
        assert re.search(r"^Status: draft$", (clone / name).read_text(encoding="utf-8"), re.M), name
        slug = re.search(r"^Slug: (.+)$", (clone / name).read_text(encoding="utf-8"), re.M)[1]
        assert slug not in operation.get("/")[1]
    assert len(sink.messages) == 2 and sink.held == [] and operation.posts() == ONE_POST_EACH


def test_the_officer_s_preview_after_a_save_is_the_full_build(tmp_path):
    """`make serve` on the officer's side: the release saved, the preview's folder is a full build's."""
    content = content_with_lists(tmp_path / "contenu")
    folder = tmp_path / "apercu"
    running = preview.Preview(
        out=io.StringIO(), path=str(content), output_path=str(folder), cache_path=str(tmp_path / "cache"), **SETTINGS
    )
    try:
        assert running.build().status == 0, running.out.getvalue()
        saved = []
        for relative, data in release_files(embargo_time()).items():
            path = content / relative.removeprefix("content/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            saved.append(str(path))
        update = running.update(saved)
        assert not update.refused, running.out.getvalue()
        running.finish()
    finally:
        running.close()
    assert_same_as_full_build(folder, content, tmp_path, "enregistrement")
    assert (folder / "adresses-publiees.txt").is_file()  # the file the preview used to delete
