"""The web editor for communication officers: Decap CMS at ``/admin/``.

Everything the editor knows about an article comes from the schema
(``pressroom.content.schema.FIELDS``) and the institution registry, so the editor's
form is generated, never written by hand: ``config`` makes Decap's
``config.yml`` (one folder collection of ``content/articles/{year}``, one
widget per field, chosen by the field's kind), ``browser_schema`` the few facts
the editor's JavaScript needs (field order, fields holding several values,
full names of the institutions). ``write_admin`` puts it all in the output
with Decap's bundle, copied from ``node_modules`` (``npm ci``): nothing is
loaded from another host.

The site has ``/admin/`` only when a backend is set: ``EDITOR_BACKEND`` (a
forge, in production: see ``backend_from_environment``) or ``EDITOR_LOCAL``
(``invoke editor``: decap-server on 127.0.0.1, writing into the work tree).
"""

import json
import pathlib
import re

import yaml

from pressroom.build import output
from pressroom.content import schema
from pressroom.content.header import Header
from pressroom.content.registry import Registry
from pressroom.settings import ROOT, registry_path, setting

STATIC = pathlib.Path(__file__).resolve().parent / "static"
FORMAT = "pelican"
BODY = "body"
SHOWN_BY = "article.html"  # the template whose fields the preview pane shows
LAYOUT = "_pelican_layout"  # the hidden data key of pelican-format.js
STATUS_LABEL = "Visibilité sur le site : brouillon / publié"
FORGES = {
    "gitlab": {"name": "gitlab", "auth_type": "pkce"},
    "gitea": {"name": "gitea", "auth_type": "pkce"},
    "forgejo": {"name": "gitea", "auth_type": "pkce"},
    "github": {"name": "github"},
}


class EditorError(Exception):
    """The editor cannot be put on the site: a French message says why and what to do."""


# --- Fields: each kind of the schema gives its widget ------------------------------


def hint(spec, settings):
    """The field's help as Decap shows it under the field: `code` becomes « code »; where the
    kind's widget replaces what the help says about typing the value, the kind's hint."""
    if spec.kind.editor_hint:
        return spec.kind.editor_hint.format(most=setting(settings, "TAGS_MAX"))
    return re.sub(r"`([^`]*)`", r"« \1 »", spec.help)


def editor_field(spec, context):
    field = {
        "label": STATUS_LABEL if spec.key == "status" else spec.label,
        "name": spec.key,  # lower case, as Pelican's metadata: Decap takes « date » for the entry's date
        "hint": hint(spec, context["settings"]),
        "required": spec.required == schema.ALL,
    }
    field.update(spec.kind.widget(spec, context))
    return field


BODY_FIELD = {
    "label": "Texte de l'article",
    "name": BODY,
    "widget": "markdown",
    "hint": "un paragraphe par idée, séparés par une ligne vide ; « Markdown » garde le texte tel qu'il est écrit",
    "modes": ["raw", "rich_text"],  # raw first: the rich-text mode rewrites the whole body
    "required": False,
}


# --- The configuration ------------------------------------------------------------


def backend(settings):
    """Decap's ``backend`` block: decap-server when EDITOR_LOCAL, else the forge of EDITOR_BACKEND,
    either Decap's own block (with ``name``) or the EDITOR_* variables of ``forge_variables``."""
    if setting(settings, "EDITOR_LOCAL"):
        return {"name": "proxy", "proxy_url": setting(settings, "EDITOR_LOCAL_URL")}
    forge = dict(setting(settings, "EDITOR_BACKEND"))
    return forge if "name" in forge else backend_from_environment(forge)


def articles_collection(settings, registry):
    context = {"settings": settings, "registry": registry}
    folder = "/".join([setting(settings, "EDITOR_CONTENT_FOLDER"), settings.get("ARTICLE_PATHS", ["articles"])[0]])
    return {
        "name": "articles",
        "label": "Articles",
        "label_singular": "article",
        "description": "Communiqués et actualités, rangés par année. « Publier » enregistre le fichier ; "
        "le champ « Visibilité sur le site » décide s'il paraît.",
        "folder": folder,
        "path": "{{year}}/{{slug}}",  # the year of the field « date », as `invoke new` does
        "slug": "{{fields.slug}}",  # made from the title before saving when empty (editor.js)
        "extension": "md",
        "format": FORMAT,
        "create": True,
        "delete": False,
        "identifier_field": "title",
        "summary": "{{title}} — {{date}}",
        "sortable_fields": ["date", "title"],
        "fields": [editor_field(spec, context) for spec in schema.FIELDS] + [dict(BODY_FIELD)],
    }


def config(settings, registry):
    """Decap's configuration, as a dict, for these settings and this registry."""
    site_url = settings.get("SITEURL") or ""
    generated = {
        "locale": "fr",
        "backend": backend(settings),
        "media_folder": setting(settings, "EDITOR_IMAGES_FOLDER"),
        "public_folder": setting(settings, "EDITOR_IMAGES_PUBLIC"),
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [articles_collection(settings, registry)],
    }
    if site_url.startswith("http"):
        generated["site_url"] = generated["display_url"] = site_url
    if not setting(settings, "EDITOR_LOCAL"):
        generated["publish_mode"] = "editorial_workflow"  # each article a merge request, reviewed
    return generated


def browser_schema(registry):
    """What the editor's JavaScript needs from the schema and the registry."""
    return {
        "fields": [spec.name for spec in schema.FIELDS],
        "lists": [spec.name for spec in schema.FIELDS if spec.multiple],
        "lines": [spec.name for spec in schema.FIELDS if spec.multiline],
        # Lines of two halves joined by a dash (« chemin — libellé »): the editor's name of each half.
        "pairs": {spec.name: list(spec.kind.pair) for spec in schema.FIELDS if spec.kind.pair},
        "labels": {spec.name: spec.label for spec in schema.FIELDS},
        # The plain fields the article page shows, which the preview pane lists: key, label.
        "shown": [[spec.key, spec.label] for spec in schema.FIELDS if SHOWN_BY in spec.kind.shown_in],
        "institutions": {i.acronym: i.name for i in registry},
        # What a missing line stands for: an article without Status is published.
        "implicit": {schema.field("Status").name: schema.status_of(Header([]))},
        "layout": LAYOUT,
    }


def config_yaml(settings, registry):
    header = (
        "# Généré par pressroom/tools/editor à chaque construction, "
        "depuis pressroom/content/schema.py : ne pas modifier.\n"
    )
    return header + yaml.safe_dump(config(settings, registry), allow_unicode=True, sort_keys=False, width=1000)


# --- The files under admin/ --------------------------------------------------------


def enabled(settings):
    return bool(setting(settings, "EDITOR_LOCAL") or setting(settings, "EDITOR_BACKEND"))


def bundle_files(settings):
    """Decap's bundle (the script, its lazily loaded chunks and WebAssembly, the licence)."""
    folder = ROOT / setting(settings, "EDITOR_BUNDLE")
    main = folder / "decap-cms.js"
    if not main.is_file():
        raise EditorError(
            f"éditeur en ligne : Decap CMS absent ({main.relative_to(ROOT)}) — installez-le avec `npm ci`"
        )
    extra = [*folder.glob("*.decap-cms.js"), *folder.glob("*.wasm"), folder / "decap-cms.js.LICENSE.txt"]
    return [main, *(path for path in extra if path.is_file())]


def write_admin(settings, registry=None):
    """Write admin/ into the output: Decap, our scripts, config.yml and schema.js. Return its folder."""
    files = bundle_files(settings)
    registry = registry if registry is not None else Registry.load(registry_path(settings))
    config = config_yaml(settings, registry)  # a wrong forge is said before anything is written
    data = json.dumps(browser_schema(registry), ensure_ascii=False, indent=1)
    folder = setting(settings, "EDITOR_SAVE_AS")
    target = pathlib.Path(settings["OUTPUT_PATH"]) / folder
    for path in [*files, *STATIC.iterdir()]:
        if path.is_file():
            output.copy_output(path, str(target / path.name))
    output.write_output(settings["OUTPUT_PATH"], f"{folder}/config.yml", config)
    output.write_output(settings["OUTPUT_PATH"], f"{folder}/schema.js", f"window.PRESSROOM_EDITOR = {data};\n")
    return target


# --- Production: the forge, from the environment ----------------------------------

FORGE_VARIABLES = (
    "EDITOR_BACKEND",
    "EDITOR_REPO",
    "EDITOR_BRANCH",
    "EDITOR_APP_ID",
    "EDITOR_BASE_URL",
    "EDITOR_API_ROOT",
)


def forge_variables(environ):
    """The EDITOR_* variables that are set (publishconf.py), or None without EDITOR_BACKEND: no /admin/."""
    if not environ.get("EDITOR_BACKEND", "").strip():
        return None
    return {name: environ[name] for name in FORGE_VARIABLES if environ.get(name)}


def backend_from_environment(environ):
    """Decap's backend for the forge named by EDITOR_BACKEND (gitlab, gitea, forgejo, github), or None.

    EDITOR_REPO (group/project), EDITOR_BRANCH, EDITOR_APP_ID (GitLab, Gitea/Forgejo: the OAuth
    application), EDITOR_BASE_URL (the forge, or the OAuth proxy for GitHub), EDITOR_API_ROOT.
    """
    name = environ.get("EDITOR_BACKEND", "").strip().lower()
    if not name:
        return None
    if name not in FORGES:
        raise EditorError(
            f"éditeur en ligne : EDITOR_BACKEND inconnu « {name} » — écrivez gitlab, gitea, forgejo ou github"
        )
    if not environ.get("EDITOR_REPO"):
        raise EditorError(
            "éditeur en ligne : EDITOR_REPO absent — indiquez le dépôt de contenu, par exemple : communication/site"
        )
    found = dict(FORGES[name], repo=environ["EDITOR_REPO"], branch=environ.get("EDITOR_BRANCH") or "main")
    for variable, key in (
        ("EDITOR_APP_ID", "app_id"),
        ("EDITOR_BASE_URL", "base_url"),
        ("EDITOR_API_ROOT", "api_root"),
    ):
        if environ.get(variable):
            found[key] = environ[variable]
    return found
