"""The editor's configuration is generated from the schema and the registry:
every field is there (whatever FIELDS holds), with its French label and the
widget of its kind; the gate's patterns are those of the schema; the forge
comes from the environment; the editor's slugs are the site's."""

import dataclasses
import io
import json
import re
import shutil
import subprocess
import threading

import pytest
import yaml
from conftest import FIXTURE_SITE
from tools import ROOT, require

from pressroom.build import site
from pressroom.content import kinds, schema
from pressroom.content.registry import Registry
from pressroom.tools import editor
from pressroom.tools.editor import local
from pressroom.tools.new import article_slug

REGISTRY = Registry.load(FIXTURE_SITE / "institutions.yml")


def local_settings(**overrides):
    return site.load_settings("pelicanconf.py", editor_local=True, **overrides)


def editor_fields(settings=None):
    config = editor.config(settings or local_settings(), REGISTRY)
    [collection] = config["collections"]
    return {field["name"]: field for field in collection["fields"]}


@pytest.mark.parametrize("spec", schema.FIELDS, ids=lambda spec: spec.name)
def test_every_schema_field_is_in_the_editor_with_its_french_label(spec):
    field = editor_fields()[spec.key]
    assert field["label"] == (editor.STATUS_LABEL if spec.key == "status" else spec.label)
    assert field["hint"]
    assert field["required"] == (spec.required == schema.ALL)
    assert field["widget"]


def test_a_field_added_to_the_schema_is_in_the_editor(monkeypatch):
    missing = schema.Field("Nouveau-Champ", "Nouveau champ", "une aide")
    monkeypatch.setattr(schema, "FIELDS", (*schema.FIELDS, missing))
    assert "nouveau-champ" in editor_fields()


def test_a_plain_text_field_is_a_line_of_text(monkeypatch):
    plain = schema.Field("Simple", "Champ simple", "une aide", kind=kinds.Text())
    monkeypatch.setattr(schema, "FIELDS", (*schema.FIELDS, plain))
    assert editor_fields()["simple"]["widget"] == "string"


def test_status_cannot_be_taken_for_decaps_publish_button():
    status = editor_fields()["status"]
    assert status["label"] == "Visibilité sur le site : brouillon / publié"
    assert status["widget"] == "select" and status["default"] == "draft"
    assert {option["value"] for option in status["options"]} == set(schema.field("Status").choices)


def test_institutions_are_the_registry_acronyms_with_full_names():
    field = editor_fields()["institutions"]
    assert field["widget"] == "select" and field["multiple"] is True
    options = {option["value"]: option["label"] for option in field["options"]}
    assert options["CMSS"] == "CMSS — Caisse Malienne de Sécurité Sociale"
    assert set(options) == {institution.acronym for institution in REGISTRY}


def test_dates_are_written_as_the_gate_reads_them():
    fields = editor_fields()
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm"  # the schema's example has a time
    assert fields["event-end"]["format"] == "YYYY-MM-DD" and fields["event-end"]["time_format"] is False
    for spec in schema.FIELDS:
        if isinstance(spec.kind, kinds.Date):
            assert fields[spec.key]["date_format"] == "YYYY-MM-DD"


def test_patterns_mirror_the_gate():
    fields = editor_fields()
    slug_pattern = re.compile(fields["slug"]["pattern"][0])
    assert slug_pattern.match("formation-cmss-2024") and not slug_pattern.match("Formation CMSS")
    url_pattern = re.compile(fields["source"]["pattern"][0])
    assert url_pattern.match("https://www.inps.ml/actualite") and not url_pattern.match("www.inps.ml")
    assert re.compile(fields["lang"]["pattern"][0]).match("fr")


def test_photos_go_to_content_images_and_the_body_opens_in_raw_markdown():
    fields = editor_fields()
    assert fields["image"]["widget"] == "image"
    assert fields["image"]["media_folder"] == "/content/images" and fields["image"]["public_folder"] == "images"
    assert fields["body"]["modes"][0] == "raw"


def test_corrections_are_a_list_of_lines():
    """« date — texte », a line of text each: never a file picker nor a single line box."""
    field = editor_fields()["corrections"]
    assert field["widget"] == "list" and field["field"]["widget"] == "string"
    assert "Corrections" in editor.browser_schema(REGISTRY)["lines"]
    assert "Corrections" not in editor.browser_schema(REGISTRY)["pairs"]


def test_attachments_are_files_from_content_fichiers_each_with_its_label():
    field = editor_fields()["attachments"]
    picker, label = field["fields"]
    assert field["widget"] == "list" and picker["widget"] == "file" and label["widget"] == "string"
    assert picker["media_folder"] == "/content/fichiers" and picker["public_folder"] == "fichiers"
    browser = editor.browser_schema(REGISTRY)
    assert "Attachments" in browser["lines"] and browser["pairs"]["Attachments"] == [picker["name"], label["name"]]


def test_a_closed_list_is_a_select(monkeypatch):
    category = dataclasses.replace(schema.field("Category"), kind=kinds.Choice(("Actualité", "Communiqué")))
    fields = tuple(category if spec.key == "category" else spec for spec in schema.FIELDS)
    monkeypatch.setattr(schema, "FIELDS", fields)
    assert editor_fields()["category"]["options"] == ["Actualité", "Communiqué"]


def test_the_local_editor_talks_to_decap_server_on_127_0_0_1_without_workflow():
    config = editor.config(local_settings(), REGISTRY)
    assert config["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1"}
    assert "publish_mode" not in config
    assert config["locale"] == "fr"
    assert config["collections"][0]["folder"] == "content/articles"


def test_the_generated_yaml_reads_back_as_the_configuration():
    settings = local_settings()
    assert yaml.safe_load(editor.config_yaml(settings, REGISTRY)) == editor.config(settings, REGISTRY)


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, None),
        (
            {"EDITOR_BACKEND": "gitlab", "EDITOR_REPO": "com/site", "EDITOR_APP_ID": "abc"},
            {"name": "gitlab", "auth_type": "pkce", "repo": "com/site", "branch": "main", "app_id": "abc"},
        ),
        (
            {"EDITOR_BACKEND": "forgejo", "EDITOR_REPO": "com/site", "EDITOR_BASE_URL": "https://forge.example"},
            {
                "name": "gitea",
                "auth_type": "pkce",
                "repo": "com/site",
                "branch": "main",
                "base_url": "https://forge.example",
            },
        ),
        (
            {"EDITOR_BACKEND": "github", "EDITOR_REPO": "com/site", "EDITOR_BASE_URL": "https://auth.example"},
            {"name": "github", "repo": "com/site", "branch": "main", "base_url": "https://auth.example"},
        ),
    ],
)
def test_the_forge_comes_from_the_environment(environment, expected):
    assert editor.backend_from_environment(environment) == expected


@pytest.mark.parametrize(
    "environment, message",
    [({"EDITOR_BACKEND": "svn"}, "EDITOR_BACKEND inconnu"), ({"EDITOR_BACKEND": "gitlab"}, "EDITOR_REPO")],
)
def test_a_wrong_forge_setting_is_one_french_message(environment, message):
    with pytest.raises(editor.EditorError, match=message):
        editor.backend_from_environment(environment)


def test_production_config_uses_the_editorial_workflow():
    settings = site.load_settings("pelicanconf.py", editor_backend={"name": "gitlab", "repo": "com/site"})
    config = editor.config(settings, REGISTRY)
    assert config["backend"] == {"name": "gitlab", "repo": "com/site"}
    assert config["publish_mode"] == "editorial_workflow"


def test_the_editors_slugs_are_the_sites():
    node = shutil.which("node")
    require(node, "Node.js")
    titles = [
        path.read_text(encoding="utf-8").splitlines()[0].removeprefix("Title: ")
        for path in FIXTURE_SITE.glob("articles/*/*.md")
    ]
    titles += ["L’œuvre « sociale » de l’INPS : bilan 2024", "Ça va — très bien !", "Éducation & santé / Sénégal"]
    script = (
        "const f = require(process.argv[1]);console.log(JSON.stringify(JSON.parse(process.argv[2]).map(f.slugify)));"
    )
    module = ROOT / "pressroom" / "tools" / "editor" / "static" / "pelican-format.js"
    result = subprocess.run(
        [node, "-e", script, str(module), json.dumps(titles)], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [article_slug(title) for title in titles]


def test_a_saved_article_triggers_a_rebuild(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    rebuilt, stop = threading.Event(), threading.Event()
    messages = io.StringIO()
    watcher = threading.Thread(target=local.watch_and_rebuild, args=(content, rebuilt.set, messages, stop), daemon=True)
    watcher.start()
    try:
        for attempt in range(30):  # the watcher may start after a first write: write until it sees one
            (content / "articles" / "nouvel-article.md").write_text(f"Title: Essai {attempt}\n", encoding="utf-8")
            if rebuilt.wait(1):
                break
    finally:
        stop.set()
        watcher.join()
    assert rebuilt.is_set()
    assert "Modifié : articles/nouvel-article.md — reconstruction de l'aperçu…" in messages.getvalue()


def test_an_article_without_status_shows_as_published():
    assert editor.browser_schema(REGISTRY)["implicit"] == {"Status": "published"}


def test_hints_written_for_the_editor_read_the_settings():
    assert "(7 au plus)" in editor_fields(local_settings(tags_max=7))["tags"]["hint"]
    assert "« Publier » en haut enregistre l'article" in editor_fields()["status"]["hint"]


def test_the_preview_pane_lists_the_plain_fields_the_article_page_shows(monkeypatch):
    shown = dict(editor.browser_schema(REGISTRY)["shown"])
    assert shown["author-service"] == "Service de l'auteur" and shown["source"] == "Source"
    assert "image-alt" not in shown  # the page shows it as the photo's text, not as a field
    programme = schema.Field("Programme", "Programme", "une aide", kind=kinds.Text(shown_in=("article.html",)))
    monkeypatch.setattr(schema, "FIELDS", (*schema.FIELDS, programme))
    assert ["programme", "Programme"] in editor.browser_schema(REGISTRY)["shown"]


def test_a_widget_that_replaces_the_typing_has_its_own_hint():
    fields = editor_fields()
    assert fields["institutions"]["hint"].startswith("choisissez une ou plusieurs institutions")
    assert fields["tags"]["hint"].startswith("tapez les valeurs séparées par des virgules (20 au plus)")
    assert fields["author"]["hint"] == schema.field("Author").help  # typed as written
