"""Every setting of our plugins and of the pressroom package, with its default,
in one place. ``pelicanconf.py`` starts from these, so templates see them too
(Pelican puts every setting in the template context); code reads them with
``setting(settings, NAME)``, which falls back on the same defaults.
"""

import os

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
    # The content gate: what an article may hold (pressroom/schema.py).
    "PREVIEW": False,  # drafts and embargoed articles shown, marked (invoke build --preview)
    "CONTENT_YEAR_MIN": 1960,  # no date, publication or event, before this year
    "CONTENT_YEARS_AHEAD": 2,  # nor more than this many years after today
    "EVENT_MAX_DAYS": 366,
    "TAGS_MAX": 20,
    # Events: the agenda and the iCalendar feeds.
    "AGENDA_URL": "agenda/",
    "AGENDA_SAVE_AS": "agenda/index.html",
    "AGENDA_MONTH_URL": "agenda/{date:%Y}/{date:%m}/",
    "AGENDA_MONTH_SAVE_AS": "agenda/{date:%Y}/{date:%m}/index.html",
    "EVENTS_ICS_ALL": "calendrier/tout.ics",
    "EVENTS_ICS_INSTITUTION": "calendrier/institutions/{slug}.ics",
    "EVENT_ICS": "calendrier/evenements/{date:%Y}/{date:%m}/{slug}.ics",
    "EVENTS_CALENDAR_NAME": "Agenda de la protection sociale en Afrique de l'Ouest",
    # Time zone of an event: from the country of its first organiser, else TIMEZONE.
    "EVENTS_TIMEZONES": {"Mali": "Africa/Bamako", "Sénégal": "Africa/Dakar"},
    # The day that splits upcoming from past events; None is the day of the build. Tests fix it.
    "EVENTS_TODAY": None,
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
