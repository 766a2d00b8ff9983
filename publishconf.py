"""Production settings: absolute URLs for feeds and pages, no drafts."""

import os

from pelican.settings import get_settings_from_file

from pressroom.tools import editor

globals().update(get_settings_from_file(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")))

# The public address comes from the environment only: `invoke publish` refuses to publish without it.
SITEURL = os.environ.get("SITEURL", "").strip().rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
PREVIEW = False  # drafts and embargoed articles never reach production
LOAD_CONTENT_CACHE = False  # a publication reads every file afresh
# The web editor at /admin/ only when a forge is named: EDITOR_BACKEND=gitlab|gitea|forgejo|github,
# EDITOR_REPO, EDITOR_APP_ID… (docs/exploitation.md, « Éditeur en ligne »); checked when the site is built.
EDITOR_BACKEND = editor.forge_variables(os.environ)
