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
from pressroom.content import frdates, schema
from pressroom.content.header import Header
from pressroom.content.registry import Registry
from pressroom.settings import ROOT, registry_path, setting

STATIC = pathlib.Path(__file__).resolve().parent / "static"
FORMAT = "pelican"
BODY = "body"
LAYOUT = "_pelican_layout"  # the hidden data key of pelican-format.js
STATUS_LABEL = "Visibilité sur le site : brouillon / publié"
STATUS_OPTIONS = {
    "draft": "brouillon : pas encore sur le site",
    "published": "publié : visible sur le site",
    "hidden": "publié mais absent des listes",
}
SLUG_PATTERN = [schema.SLUG_PATTERN.pattern, "minuscules sans accent, chiffres et tirets : formation-cmss-2024"]
URL_PATTERN = [r"^https?://[^\s/]+\S*$", "une adresse complète qui commence par https:// (ou http://)"]
LANG_PATTERN = [schema.LANG_PATTERN.pattern, "le code de la langue en deux lettres : fr"]
FORGES = {
    "gitlab": {"name": "gitlab", "auth_type": "pkce"},
    "gitea": {"name": "gitea", "auth_type": "pkce"},
    "forgejo": {"name": "gitea", "auth_type": "pkce"},
    "github": {"name": "github"},
}


class EditorError(Exception):
    """The editor cannot be put on the site: a French message says why and what to do."""


# --- Widgets, one function per kind of field ------------------------------------


# Where the editor's widget replaces what the schema's help says about typing the value.
EDITOR_HINTS = {
    "institutions": "choisissez une ou plusieurs institutions (tapez le sigle ou le nom) ; une institution "
    "absente de la liste doit d'abord être ajoutée au registre des institutions",
    "list": "tapez les valeurs séparées par des virgules ({most} au plus) ; écrivez-les toujours de la même façon",
    "status": "brouillon : l'article n'est pas sur le site ; publié : il paraît à la prochaine "
    "mise à jour du site ; le bouton « Publier » en haut enregistre l'article, il ne le met pas en ligne",
}


def hint(spec, settings):
    """The field's help as Decap shows it under the field: `code` becomes « code »."""
    written = EDITOR_HINTS.get(spec.key) or EDITOR_HINTS.get(spec.kind)
    if written:
        return written.format(most=setting(settings, "TAGS_MAX"))
    return re.sub(r"`([^`]*)`", r"« \1 »", spec.help)


def date_widget(spec, context):
    with_time = frdates.has_time(spec.example)  # the schema shows a time in the example where one is allowed
    widget = {
        "widget": "datetime",
        "date_format": "YYYY-MM-DD",
        "time_format": "HH:mm" if with_time else False,
        "format": "YYYY-MM-DD HH:mm" if with_time else "YYYY-MM-DD",
        "picker_utc": False,
    }
    return widget


def institutions_widget(spec, context):
    options = [{"label": f"{i.acronym} — {i.name}", "value": i.acronym} for i in context["registry"]]
    return {"widget": "select", "multiple": True, "options": options}


def list_widget(spec, context):
    return {"widget": "list", "allow_add": True}


def choice_widget(spec, context):
    if spec.key == "status":
        options = [{"label": STATUS_OPTIONS.get(value, value), "value": value} for value in spec.choices]
        return {"widget": "select", "options": options, "default": "draft"}
    return {"widget": "select", "options": list(spec.choices)}


def image_widget(spec, context):
    widget = {"widget": "image", "choose_url": False}
    widget.update(media_folders(context["settings"], "EDITOR_IMAGES_FOLDER", "EDITOR_IMAGES_PUBLIC"))
    return widget


def lines_widget(spec, context):
    files = {"label": "Fichier", "name": "fichier", "widget": "file", "choose_url": False}
    files.update(media_folders(context["settings"], "EDITOR_FILES_FOLDER", "EDITOR_FILES_PUBLIC"))
    return {"widget": "list", "field": files}


def pattern_widget(pattern, **extra):
    return lambda spec, context: {"widget": "string", "pattern": pattern, **extra}


def string_widget(spec, context):
    return {"widget": "string"}


def spokesperson_widget(spec, context):
    """The registry's spokespeople to choose from (lint checks the choice against the article's institutions)."""
    options = [
        {"label": f"{person.name} ({institution.acronym})", "value": person.name}
        for institution in context["registry"]
        for person in institution.spokespeople
    ]
    return {"widget": "select", "options": options} if options else string_widget(spec, context)


def token_widget(spec, context):
    """Written by `invoke lien-embargo` only: kept as it is, never typed in the editor."""
    return {"widget": "hidden"}


WIDGETS = {
    "date": date_widget,
    "institutions": institutions_widget,
    "list": list_widget,
    "choice": choice_widget,
    "image": image_widget,
    "lines": lines_widget,
    "slug": pattern_widget(SLUG_PATTERN),
    "url": pattern_widget(URL_PATTERN),
    "lang": pattern_widget(LANG_PATTERN, default="fr"),
    "spokesperson": spokesperson_widget,
    "token": token_widget,
}


def widget_for(spec, context):
    """Decap's widget for a field: by its kind; a kind unknown here is plain text."""
    if spec.choices and spec.kind != "choice":
        return {"widget": "select", "options": list(spec.choices), "multiple": spec.multiple}
    return WIDGETS.get(spec.kind, string_widget)(spec, context)


def media_folders(settings, folder, public):
    """A field's own media folder: from the project's root (leading slash), not from the article."""
    return {"media_folder": "/" + setting(settings, folder), "public_folder": setting(settings, public)}


def editor_field(spec, context):
    field = {
        "label": STATUS_LABEL if spec.key == "status" else spec.label,
        "name": spec.key,  # lower case, as Pelican's metadata: Decap takes « date » for the entry's date
        "hint": hint(spec, context["settings"]),
        "required": spec.required == schema.ALL,
    }
    field.update(widget_for(spec, context))
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
        "lines": [spec.name for spec in schema.FIELDS if spec.kind == "lines"],
        "labels": {spec.name: spec.label for spec in schema.FIELDS},
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
