"""Every setting of our plugins and of the pressroom package, with its default,
in one place. ``pelicanconf.py`` starts from these, so templates see them too
(Pelican puts every setting in the template context); code reads them with
``setting(settings, NAME)``, which falls back on the same defaults.
"""

import os
import pathlib
import zoneinfo

from babel import Locale, UnknownLocaleError

# The working tree: pelicanconf.py, content/, theme/, plugins/ and node_modules/ are found from here.
ROOT = pathlib.Path(__file__).resolve().parent.parent

DEFAULTS = {
    # Language and place: French dates are written with Babel (no system locale needed).
    "BABEL_LOCALE": "fr_FR",
    "TIMEZONE": "Africa/Bamako",
    "DEFAULT_LANG": "fr",
    # The institution registry, relative to the content folder (PATH).
    "INSTITUTIONS_REGISTRY": "institutions.yml",
    "INSTITUTIONS_URL": "institutions/",
    "INSTITUTIONS_SAVE_AS": "institutions/index.html",
    "INSTITUTION_URL": "institutions/{slug}/",
    "INSTITUTION_SAVE_AS": "institutions/{slug}/index.html",
    "INSTITUTION_FEED_ATOM": "feeds/institutions/{slug}.atom.xml",
    # Every institution's press contact on one page (institutions plugin).
    "CONTACTS_URL": "contacts-presse/",
    "CONTACTS_SAVE_AS": "contacts-presse/index.html",
    # The vCard of each spokesperson of the registry (« porte_parole »).
    "SPOKESPERSON_VCARD_SAVE_AS": "contacts-presse/{institution}/{slug}.vcf",
    # The site's own press contact, shown wherever an institution's is unknown. Empty until the
    # editors fill it in (docs/exploitation.md, « Contact presse du site »): the pages then say
    # « non renseigné » rather than invent one.
    # Keys as in the registry's contact_presse: nom, fonction, courriel, telephone.
    "PRESS_CONTACT_DEFAULT": {"nom": "", "fonction": "", "courriel": "", "telephone": ""},
    # The accessibility statement (content/pages/accessibilite.md), linked from every footer.
    "ACCESSIBILITY_URL": "accessibilite/",
    # A release type when an article gives none (the schema's closed list, pressroom.content.schema.RELEASE_TYPES).
    "DEFAULT_CATEGORY": "Actualité",
    # Pelican's typogrify stays off: its filters do not suit French, ours do (docs/architecture.md).
    "TYPOGRIFY": False,
    # The content gate: what an article may hold (pressroom/content/schema.py).
    "PREVIEW": False,  # drafts and embargoed articles shown, marked (invoke build --preview)
    "CONTENT_YEAR_MIN": 1960,  # no date, publication or event, before this year
    "CONTENT_YEARS_AHEAD": 2,  # nor more than this many years after today
    "EVENT_MAX_DAYS": 366,
    "TAGS_MAX": 20,
    # The text of an article or a page (pressroom/content/body.py): elements nested inside one another at
    # most this deep (a list in a list in a quote…); deeper, Markdown itself would fail.
    "BODY_MAX_NESTING": 20,
    # and at most this many « [ » and « < » in one paragraph (Markdown's time grows with their number × its length).
    "BODY_MAX_BRACKETS": 100,
    # Events: the agenda and the iCalendar feeds.
    "AGENDA_URL": "agenda/",
    "AGENDA_SAVE_AS": "agenda/index.html",
    "AGENDA_MONTH_URL": "agenda/{date:%Y}/{date:%m}/",
    "AGENDA_MONTH_SAVE_AS": "agenda/{date:%Y}/{date:%m}/index.html",
    "EVENTS_ICS_ALL": "calendrier/tout.ics",
    "EVENTS_ICS_INSTITUTION": "calendrier/institutions/{slug}.ics",
    "EVENT_ICS": "calendrier/evenements/{date:%Y}/{date:%m}/{slug}.ics",
    "EVENTS_CALENDAR_NAME": "Agenda de la protection sociale en Afrique de l’Ouest",
    # Time zone of an event: from the country of its first organiser, else TIMEZONE.
    "EVENTS_TIMEZONES": {"Mali": "Africa/Bamako", "Sénégal": "Africa/Dakar"},
    # The day that splits upcoming from past events; None is the day of the build. Tests fix it.
    "EVENTS_TODAY": None,
    # E-mail alerts (invoke alertes): the state of what was announced, and how old a release may be.
    "ALERTES_ETAT": "deploy/alertes-etat.json",
    "ALERTES_FENETRE_JOURS": 14,
    # Posts to the networks (invoke diffusion, recorded in the alerts' outbox): how old a release may be.
    "DIFFUSION_FENETRE_JOURS": 14,
    "EVENTS_ON_HOME": 3,  # upcoming events shown on the home page
    # Photos and attachments (media plugin): variants under this folder of the output, and the
    # sharing image of a content without a photo (made from SITENAME).
    "MEDIA_PHOTOS_URL": "images/photos",
    "MEDIA_SITE_SHARE_IMAGE": "images/partage-site.jpg",
    # A photo of more pixels is refused (a decompression bomb would stall the build): 50 millions
    # hold a 1200×20000 infographic and any camera's photo. Pillow's own limit is 89 millions.
    "MEDIA_MAX_PIXELS": 50_000_000,
    # The secret address of an embargoed release (pressroom.content.embargo, invoke lien-embargo).
    "EMBARGO_PREVIEW_URL": "apercu/{token}/",
    # The media kit of a published release with a photo or attachments (pressroom.build.mediakit), beside its page.
    "MEDIA_KIT_SAVE_AS": "{url}dossier-{slug}.zip",
    # Sharing and indexing.
    "SEO_SITEMAP_SAVE_AS": "sitemap.xml",
    "SEO_ROBOTS_SAVE_AS": "robots.txt",
    "SEO_HEADLINE_MAX_LENGTH": 110,  # what news indexers display
    "SEO_PUBLISHER_NAME": None,  # None: SITENAME
    "PRESS_SHARE_LINKS": True,
    # French typography of what readers see.
    "TYPOGRAPHY_ENABLED": True,
    "TYPOGRAPHY_ACRONYMS": True,
    # Acronym links go through Pelican's {filename} mechanism (relative or absolute
    # like every internal link); institution pages are known under this source path.
    "TYPOGRAPHY_INSTITUTION_LINK_PREFIX": "institutions-registry/",
    # Search (Pagefind).
    "SEARCH_INDEX": True,
    "SEARCH_OUTPUT_SUBDIR": "pagefind",
    "SEARCH_LANGUAGE": "fr",
    "SEARCH_RECORD_TEMPLATE": "search_record",
    # One Pagefind bundle per slice of this many years (1: a bundle per year), slices starting at a
    # multiple of it (5: 2015-2019, 2020-2024); the search page merges them. A bundle is indexed
    # again only when one of its articles changes. More years per slice for a site with few releases
    # a year: each bundle costs a reader's browser a few requests.
    "SEARCH_SHARD_YEARS": 1,
    # Where the bundles wait between builds with their fingerprints; empty: « recherche » in CACHE_PATH.
    # A publication, which reads every source afresh in a private cache, keeps them in the project's.
    "SEARCH_CACHE_PATH": "",
    # Published addresses (pressroom/content/addresses.py): the list, relative to the content folder, and
    # the page written at an address whose article moved (plugins/redirects).
    "PUBLISHED_URLS_FILE": "adresses-publiees.txt",
    "REDIRECT_TEMPLATE": "redirect",
    # What reaches the output (plugins/manifest): every file and what wrote it, in this file of the
    # output, which is never published (`invoke publish` sends the files it lists). Empty: no check.
    "OUTPUT_MANIFEST": ".manifeste.json",
    # A build split by years (pressroom/build/parts.py): the part this build makes (« 2012-2015 »,
    # « communes »; empty: the whole site), set by `invoke build --annees`, and where parts go.
    "BUILD_PART": "",
    "PARTS_PATH": "parties",
    # The preview server indexes once the pages are written, in the background, and says so
    # in this file, read by the search page (empty: no such file, the index is always whole).
    "SEARCH_AFTER_PAGES": False,
    "SEARCH_STATUS_SAVE_AS": "",
    # Speed: parallel reading and .gz copies made while pages are written.
    "PARALLEL_READ_PROCESSES": os.cpu_count() or 1,
    "PARALLEL_READ_MIN_FILES": 100,  # below this, starting the workers costs more than it saves
    "GZIP_COPIES": True,
    "GZIP_COPIES_TEXT_EXTENSIONS": {".html", ".css", ".js", ".json", ".xml", ".atom", ".rss", ".ics", ".txt", ".svg"},
    "GZIP_COPIES_PROCESSES": os.cpu_count() or 1,
    # The lite edition (plugins/lite): text pages under LITE_URL, each at most LITE_BUDGET_BYTES
    # gzipped (ten TCP segments, the first round trip); lists keep their LITE_LIST_MAX latest entries.
    "LITE_EDITION": True,
    "LITE_URL": "lite/",
    "LITE_BUDGET_BYTES": 14600,
    "LITE_LIST_MAX": 20,
    # Worker processes that write on every full page its weight (one page after the other below 100 pages).
    "LITE_PROCESSES": os.cpu_count() or 1,
    # Offline reading: the service worker, at the root so that it serves every page, and how many
    # of the latest releases it keeps when it installs.
    "OFFLINE_WORKER_SAVE_AS": "sw.js",
    "OFFLINE_RELEASES": 20,
    "OFFLINE_MAX_READ": 200,  # files kept as they are read (pages, photos), the oldest dropped first
    # The web editor (Decap CMS) at /admin/, only with a backend (pressroom/tools/editor, docs/exploitation.md).
    "EDITOR_BACKEND": None,  # Decap's backend of the forge, e.g. {"name": "gitlab", "repo": …}
    "EDITOR_LOCAL": False,  # invoke editor: decap-server on this machine, writing into the work tree
    "EDITOR_LOCAL_URL": "http://127.0.0.1:8081/api/v1",
    "EDITOR_SAVE_AS": "admin",
    "EDITOR_BUNDLE": "node_modules/decap-cms/dist",  # from the project's root, installed by npm ci
    # Folders as seen from the project's root (the forge's repository), and as written in articles.
    "EDITOR_CONTENT_FOLDER": "content",
    "EDITOR_IMAGES_FOLDER": "content/images",
    "EDITOR_IMAGES_PUBLIC": "images",
    "EDITOR_FILES_FOLDER": "content/fichiers",
    "EDITOR_FILES_PUBLIC": "fichiers",
}


def setting(settings, name):
    """A setting of ours: its value in ``settings``, else its default."""
    return settings.get(name, DEFAULTS[name])


def registry_path(settings):
    return os.path.join(settings["PATH"], setting(settings, "INSTITUTIONS_REGISTRY"))


def registry_shown(settings):
    """The registry's path as an officer sees it from the project folder: content/institutions.yml."""
    content = os.path.basename(os.path.normpath(settings["PATH"]))
    return os.path.join(content, setting(settings, "INSTITUTIONS_REGISTRY"))


# --- Checked when the settings are read (pressroom.build.site.load_settings) ---------------------------


class SettingsError(SystemExit):
    """Wrong settings stop whatever command read them: one French line per setting, a non-zero exit
    status, no traceback (a SystemExit carrying the message, so that every task says it the same way;
    `invoke build` and `invoke lint` print it themselves and return 2)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("Réglages incorrects (pelicanconf.py, publishconf.py) :\n" + "\n".join(problems))

    def __str__(self):
        return self.code


COLLECTIONS = (list, tuple, set, frozenset)


def kind_problem(value, default):
    """What is wrong with the type of ``value`` for a setting whose default is ``default``."""
    if default is None:
        return ""
    if isinstance(default, bool):
        return "" if isinstance(value, bool) else "True ou False attendu"
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            return "un nombre entier attendu"
        return "" if value >= 0 else "un nombre positif ou nul attendu"
    if isinstance(default, str):
        return "" if isinstance(value, str) else "un texte entre guillemets attendu"
    if isinstance(default, dict):
        return "" if isinstance(value, dict) else "un dictionnaire { … } attendu"
    if isinstance(default, COLLECTIONS):
        return "" if isinstance(value, COLLECTIONS) else "une liste [ … ] attendue"
    return ""


def path_problem(value):
    """A place in the output or the project is written relative, without « .. » (no file elsewhere)."""
    if "://" in value:
        return ""
    if value.startswith("/") or "\\" in value or ".." in value.split("/"):
        return "chemin relatif attendu, sans « / » au début, sans « .. » ni « \\ »"
    return ""


def value_problem(name, value):
    if name == "TIMEZONE":
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return "fuseau horaire inconnu (par exemple Africa/Bamako)"
    if name == "TYPOGRIFY" and value:
        return "typogrify n'est pas utilisé : la typographie française est celle du greffon typography"
    if name == "BABEL_LOCALE":
        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError, TypeError):
            return "langue inconnue de Babel (par exemple fr_FR)"
    if name == "SEARCH_SHARD_YEARS" and value < 1:
        return "au moins 1 (une tranche d'index par année)"
    return path_problem(value) if isinstance(value, str) else ""


def check(settings):
    """One French line per setting of ours whose type or value is wrong."""
    problems = []
    for name, default in DEFAULTS.items():
        if name not in settings:
            continue
        value = settings[name]
        found = kind_problem(value, default) or value_problem(name, value)
        if found:
            problems.append(f"réglage {name} = {value!r} : {found}")
    return problems
