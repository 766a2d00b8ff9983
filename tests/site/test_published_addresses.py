"""`invoke adresses`: the list of published addresses, read back from the server,
committed on top of whatever the branch holds meanwhile; a refused push says so in
French, with a non-zero status, and changes nothing."""

import io
import subprocess

from s3_store import s3_store

from pressroom.build import site
from pressroom.content import addresses
from pressroom.publish import host as publish

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]


def git(folder, *args):
    return subprocess.run([*GIT, "-C", str(folder), *args], capture_output=True, text=True, check=True).stdout


def forge_and_clone(tmp_path, listed):
    forge, clone = tmp_path / "forge.git", tmp_path / "clone"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(forge)], check=True)
    (clone / "content").mkdir(parents=True)
    (clone / "content" / "adresses-publiees.txt").write_text(addresses.format_entries(listed), encoding="utf-8")
    git(clone, "init", "--quiet", "--initial-branch=main")
    git(clone, "add", "--all")
    git(clone, "commit", "--quiet", "-m", "début")
    git(clone, "push", "--quiet", str(forge), "HEAD:main")
    git(clone, "remote", "add", "origin", str(forge))
    return forge, clone


def server_with(tmp_path, entries):
    server = tmp_path / "serveur" / "site"
    server.mkdir(parents=True)
    (server / "adresses-publiees.txt").write_text(addresses.format_entries(entries), encoding="utf-8")
    return f"{server}/"


def test_the_published_list_is_merged_with_the_branch_and_pushed(tmp_path, monkeypatch):
    old = addresses.Entry("2024/10/ancien/", "articles/2024/ancien.md")
    meanwhile = addresses.Entry("2024/11/ajout-entre-temps/", "articles/2024/ajout.md")
    new = addresses.Entry("2025/02/nouveau/", "articles/2025/nouveau.md")
    forge, clone = forge_and_clone(tmp_path, [old])
    other = tmp_path / "autre"  # a commit lands on main after the pipeline's checkout
    subprocess.run(["git", "clone", "--quiet", str(forge), str(other)], check=True)
    (other / "content" / "adresses-publiees.txt").write_text(addresses.format_entries([old, meanwhile]), "utf-8")
    git(other, "commit", "--quiet", "-am", "entre-temps")
    git(other, "push", "--quiet", "origin", "HEAD:main")
    monkeypatch.setattr(site, "load_settings", lambda *a, **k: {"PATH": str(clone / "content")})
    out = io.StringIO()
    status = publish.record_addresses(str(clone), environ={"PUBLISH_DEST": server_with(tmp_path, [old, new])}, out=out)
    assert status == 0, out.getvalue()
    recorded = git(forge, "show", "main:content/adresses-publiees.txt")
    assert [entry.url for entry in addresses.read_entries_text(recorded)] == [old.url, meanwhile.url, new.url]
    assert git(clone, "status", "--porcelain") == ""  # the checkout itself is left as it was


def test_a_refused_push_is_reported_in_french(tmp_path, monkeypatch):
    old = addresses.Entry("2024/10/ancien/", "articles/2024/ancien.md")
    forge, clone = forge_and_clone(tmp_path, [old])
    hook = forge / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = git(forge, "rev-parse", "main")
    monkeypatch.setattr(site, "load_settings", lambda *a, **k: {"PATH": str(clone / "content")})
    out = io.StringIO()
    new = addresses.Entry("2025/02/nouveau/", "articles/2025/nouveau.md")
    status = publish.record_addresses(str(clone), environ={"PUBLISH_DEST": server_with(tmp_path, [old, new])}, out=out)
    assert status == 1
    assert "Adresses publiées non enregistrées : push refusé sur main" in out.getvalue()
    assert "Traceback" not in out.getvalue() and git(forge, "rev-parse", "main") == before


def test_the_published_list_is_read_back_from_a_bucket(tmp_path, monkeypatch):
    old = addresses.Entry("2024/10/ancien/", "articles/2024/ancien.md")
    new = addresses.Entry("2025/02/nouveau/", "articles/2025/nouveau.md")
    forge, clone = forge_and_clone(tmp_path, [old])
    monkeypatch.setattr(site, "load_settings", lambda *a, **k: {"PATH": str(clone / "content")})
    listing = tmp_path / "adresses-publiees.txt"
    listing.write_text(addresses.format_entries([old, new]), encoding="utf-8")
    out = io.StringIO()
    with s3_store(tmp_path / "stockage") as store:
        assert publish.record_addresses(str(clone), environ=store.environ, out=out) == 1
        assert "introuvable dans « seau:communiques/site » — publiez d'abord le site" in out.getvalue()
        store.rclone("copyto", str(listing), "{}/adresses-publiees.txt")
        status = publish.record_addresses(str(clone), environ=store.environ, out=out)
    assert status == 0, out.getvalue()
    recorded = git(forge, "show", "main:content/adresses-publiees.txt")
    assert [entry.url for entry in addresses.read_entries_text(recorded)] == [old.url, new.url]
