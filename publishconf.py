"""Production settings: absolute URLs for feeds and pages, no drafts."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = os.environ.get("SITEURL", "https://communiques-protection-sociale.org")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
PREVIEW = False  # drafts and embargoed articles never reach production
LOAD_CONTENT_CACHE = False  # a publication reads every file afresh
