"""/admin/ in the built site: absent without a backend (the development build,
and production without EDITOR_BACKEND), present with a forge named by the
EDITOR_* variables, and a wrong forge setting stops the build with one French line."""

import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE, build_site
from tools import DECAP_JS, require

from pressroom.tools import editor

GITLAB = {"EDITOR_BACKEND": "gitlab", "EDITOR_REPO": "communication/site", "EDITOR_APP_ID": "0123abcd"}


def test_no_editor_without_a_backend(built_site, published_site):
    assert not (built_site.output / "admin").exists()
    assert not (published_site.output / "admin").exists()


def test_production_with_a_forge_has_the_editor_and_its_workflow(tmp_path):
    require(DECAP_JS.exists(), "Decap CMS (npm ci)")
    built = build_site(
        FIXTURE_SITE,
        tmp_path / "output",
        "publishconf.py",
        siteurl="https://presse.example.org",
        editor_backend=editor.forge_variables(GITLAB),
        gzip_copies=False,
    )
    assert built.status == 0, built.messages
    admin = built.output / "admin"
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {
        "name": "gitlab",
        "auth_type": "pkce",
        "repo": "communication/site",
        "branch": "main",
        "app_id": "0123abcd",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["site_url"] == "https://presse.example.org"
    page = BeautifulSoup((admin / "index.html").read_text(encoding="utf-8"), "html.parser")
    sources = [script["src"] for script in page.find_all("script", src=True)]
    assert "decap-cms.js" in sources and "pelican-format.js" in sources
    assert all("://" not in source and not source.startswith("//") for source in sources)
    for source in sources:
        assert (admin / source).is_file(), source
    assert list(admin.glob("*.decap-cms.js"))  # the chunks Decap loads later, from here


def test_a_wrong_forge_stops_the_build_in_french(tmp_path, caplog):
    require(DECAP_JS.exists(), "Decap CMS (npm ci)")  # without it, the build stops on that first
    built = build_site(
        FIXTURE_SITE,
        tmp_path / "output",
        "publishconf.py",
        editor_backend=editor.forge_variables({"EDITOR_BACKEND": "gitlab"}),
        gzip_copies=False,
    )
    assert built.status != 0
    assert "erreur(s) signalée(s)" in built.messages
    assert "éditeur en ligne : EDITOR_REPO absent — indiquez le dépôt de contenu" in caplog.text
