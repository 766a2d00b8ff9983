"""The e-mail alert job's pure parts: which addresses are local, how releases are matched."""

import dataclasses
import datetime
import io

import pytest

from pressroom.publish import outbox
from pressroom.reach import alerts
from pressroom.reach.alert_messages import Release
from pressroom.reach.diffusion.run import NETWORKS


@pytest.mark.parametrize(
    "address",
    [
        "tag:127.0.0.1,2024-10-08:/2024/10/x/",
        "http://127.0.0.1:8000/2024/10/x/",
        "http://localhost:8000/",
        "http://[::1]/",
        "tag:localhost,2024-10-08:/x/",
        "http://0.0.0.0/",
        "/2024/10/x/",
        "",
    ],
)
def test_local_addresses(address):
    assert alerts.is_local(address)


@pytest.mark.parametrize(
    "address", ["https://presse.example.org/2024/10/x/", "tag:presse.example.org,2024-10-08:/2024/10/x/"]
)
def test_public_addresses(address):
    assert not alerts.is_local(address)


def release(path="/2025/01/bareme/", title="Barème", day=30, uid=None, source="articles/2025/bareme.md"):
    published = datetime.datetime(2025, int(path.split("/")[2]), day, tzinfo=datetime.UTC)
    uid = uid or f"tag:x.org,{published:%Y-%m-%d}:{path}"
    return Release(uid, "https://x.org" + path, path, title, "Chapô.", published, source)


def test_a_release_keeps_matching_through_successive_corrections(tmp_path):
    box = outbox.Outbox(tmp_path / "etat.json", {})
    first = release()
    box.add("annonces", "INPS", first, outbox.SENT, datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC))
    slug_changed = release(path="/2025/01/bareme-2025/")
    record = box.find("annonces", "INPS", slug_changed)
    assert record is not None and outbox.Outbox.remember(record, slug_changed)
    moved = release(path="/2025/02/bareme-2025/", title="Barème corrigé", day=2)  # id, path and date-title all new
    assert box.find("annonces", "INPS", moved) is record
    other = release(path="/2025/02/autre/", title="Autre", day=3, source="articles/2025/autre.md")
    assert box.find("annonces", "INPS", other) is None


def test_a_record_made_before_sources_were_kept_is_found_through_the_published_addresses(tmp_path):
    box = outbox.Outbox(tmp_path / "etat.json", {})
    box.add("annonces", "INPS", release(source=""), outbox.SENT, datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC))
    renamed = release(path="/2025/02/bareme-2025/", title="Barème corrigé", day=2)
    published = {"/2025/01/bareme/": "articles/2025/bareme.md", "/2025/02/bareme-2025/": "articles/2025/bareme.md"}
    assert box.find("annonces", "INPS", renamed) is None
    assert box.find("annonces", "INPS", renamed, published) is not None
    reused = release(path="/2025/02/bareme/", title="Autre barème", day=3, source="articles/2025/autre.md")
    assert box.find("annonces", "INPS", reused, published | {"/2025/02/bareme/": reused.source}) is None


def test_a_reservation_is_on_disk_before_sending_and_only_a_sure_refusal_removes_it(tmp_path):
    path = tmp_path / "etat.json"
    box = outbox.Outbox(path, {})
    when = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    box.reserve("telegram", "@inps", [release()], when)
    on_disk = outbox.Outbox.load(path)
    assert [record["etat"] for _, _, record in on_disk.uncertain(("telegram",))] == ["en cours"]
    box.confirm("telegram", "@inps", [release()], when)
    assert outbox.Outbox.load(path).uncertain(("telegram",)) == []
    box.reserve("telegram", "@inps", [other := release(path="/2025/02/x/", day=2, source="x.md")], when)
    box.cancel("telegram", "@inps", [other])
    assert outbox.Outbox.load(path).find("telegram", "@inps", other) is None


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("editeur@serveur:/var/www/communiques/", "editeur@serveur:/var/www/communiques.etat/envois.json"),
        ("/srv/site", "/srv/site.etat/envois.json"),
    ],
)
def test_the_outbox_lives_beside_the_published_folder_never_inside(dest, kept):
    assert outbox.beside_publication(dest) == kept
    assert outbox.is_remote(kept) == outbox.is_remote(dest)


def test_e_mail_and_networks_share_one_outbox_and_each_job_settles_only_its_own_uncertain_records(tmp_path):
    """One file for every channel: the alerts' --incertains never touches a post to a network."""
    path = tmp_path / "envois.json"
    box = outbox.Outbox(path, {})
    when = datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC)
    box.reserve("annonces", "INPS", [release()], when)
    box.reserve("telegram", "@inps_mali", [release()], when)
    out = io.StringIO()
    assert alerts.settle_uncertain(box, "renvoyer", when, out) == 0
    on_disk = outbox.Outbox.load(path)
    assert on_disk.find("annonces", "INPS", release()) is None
    assert [(channel, target) for channel, target, _ in on_disk.uncertain(NETWORKS)] == [("telegram", "@inps_mali")]
    assert alerts.settle_uncertain(on_disk, "", when, out, NETWORKS, "le fil du réseau") == 1
    assert "non renvoyé : @inps_mali (telegram)" in out.getvalue() and "vérifiez le fil du réseau" in out.getvalue()


@pytest.mark.parametrize("text", ['["annonces"]', '{"annonces": []}', '{"telegram": {"@inps": {}}}'])
def test_an_outbox_of_the_wrong_shape_is_one_french_line(tmp_path, text):
    path = tmp_path / "envois.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(outbox.OutboxError) as raised:
        outbox.Outbox.load(path)
    assert str(raised.value) == (
        f"{path}:1: état: contenu inattendu (ce n'est pas un état d'envois) — restaurez une copie"
    )


@pytest.mark.parametrize("siteurl", ["", "https://presse.example.org", "https://example.org/presse/"])
def test_a_release_finds_its_source_under_the_sites_folder(tmp_path, siteurl):
    (tmp_path / "adresses-publiees.txt").write_text("2025/01/bareme/\tarticles/2025/bareme.md\n", encoding="utf-8")
    sources = alerts.published_sources(str(tmp_path), {"SITEURL": siteurl})
    folder = siteurl.removeprefix("https://example.org").rstrip("/") if "example.org/" in siteurl else ""
    published = dataclasses.replace(release(source=""), path=f"{folder}/2025/01/bareme/")
    found = alerts.with_source(published, sources)
    assert found.source == "articles/2025/bareme.md"
