"""The web editor at /admin/: once the site is written, ``pressroom.tools.editor`` adds
Decap CMS and its configuration generated from the article schema, when a
backend is set (EDITOR_BACKEND for a forge, EDITOR_LOCAL for ``invoke editor``).
"""

import logging

from pelican import signals

from pressroom.tools import editor

__all__ = ["register"]

log = logging.getLogger(__name__)


def add_editor(pelican):
    if not editor.enabled(pelican.settings):
        return
    try:
        editor.write_admin(pelican.settings)  # each file announced by pressroom.build.output
    except editor.EditorError as error:
        log.error("%s", error)


def register():
    signals.finalized.connect(add_editor)
