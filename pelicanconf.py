"""Settings of the press site (development build). See publishconf.py for production."""

from pressroom.content import frdates, french, jsonld
from pressroom.settings import DEFAULTS

# Our plugins' settings, with their defaults (pressroom/settings.py): templates see them too.
globals().update(DEFAULTS)

SITENAME = "Protection sociale en Afrique de l’Ouest — Communiqués et actualités"
SITESUBTITLE = "Communiqués de presse et actualités des institutions de protection sociale du Mali et du Sénégal"
SITEURL = "http://127.0.0.1:8000"  # the preview server; publishconf.py sets the real one
RELATIVE_URLS = True

PATH = "content"
# Markdown is the only reader: reStructuredText's « .. include:: » would publish any file of the
# machine, and an HTML file any script. Any other file among articles and pages is refused (lint).
READERS = {"rst": None, "html": None, "htm": None}
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "fichiers"]  # photos; attachments (never copied for an unpublished article)
IGNORE_FILES = [".#*", ".gitkeep", "GUIDE.md", "*.yml"]
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = True
# Content cache: a rebuild re-reads (Markdown) only the files whose content changed.
# Reader layer, not generator: the plugins work on the Article objects, which are
# made anew on every build, so they always see fresh objects.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "md5"  # mtime misses edits within one clock tick and copies that keep it
CACHE_PATH = "cache"

DEFAULT_DATE = None
# Embargo: a future-dated article is a draft, and drafts are written nowhere
# (DRAFT_SAVE_AS = ""); PREVIEW = True (invoke build --preview) shows them, marked.
WITH_FUTURE_DATES = False
# Summary is plain text (escaped by the content_gate reader), never Markdown or HTML.
FORMATTED_FIELDS = []

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# The order of this list does not matter: the enrichment of articles runs in the
# order of pressroom.build.pipeline.STAGES.
PLUGINS = [
    "parallel_read",
    "institutions",
    "events",
    "content_gate",
    "release",
    "feeds",
    "typography",
    "seo",
    "press",
    "media",
    "search",
    "redirects",
    "gzip_copies",
    "lite",
    "editor",
    "manifest",
]

# auto_reload off: Pelican makes a new Jinja environment on every build, and with it on,
# every {% include %} stats the template file (tens of thousands of calls on a large archive).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}
JINJA_FILTERS = {
    "date_long": frdates.long_date,
    "date_short": frdates.short_date,
    "month_year": frdates.month_year,
    "date_range": frdates.date_range,
    "json_ld": jsonld.json_ld,
    "de": french.of,  # « de l’INPS », « de la CMSS », « du RMA »
}

# URLs: pretty folders, the date in article URLs so that equal titles on
# different days never collide.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_SAVE_AS = "categories/index.html"
TAG_URL = "themes/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
TAGS_SAVE_AS = "themes/index.html"
AUTHOR_URL = "auteurs/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
AUTHORS_SAVE_AS = "auteurs/index.html"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "tags", "authors", "archives", "search"]
SEARCH_URL = "recherche/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
TEMPLATE_PAGES = {"404.html": "404.html"}

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None, "institution": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: all in one folder tree, so that no two feed URLs can collide.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/tout.atom.xml"
FEED_ALL_RSS = "feeds/tout.rss.xml"
FEED_ATOM = None
FEED_RSS = None
CATEGORY_FEED_ATOM = "feeds/categories/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/themes/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False

SUMMARY_MAX_LENGTH = 50
SLUGIFY_SOURCE = "title"
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False
