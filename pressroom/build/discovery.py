"""Which files of the content folder are articles, pages or static files, decided from the settings
exactly as Pelican's generators decide (``Generator.get_files``): the folders of ``<KIND>_PATHS``
walked, a sub-folder named in ``<KIND>_EXCLUDES`` or matching ``IGNORE_FILES`` left out, a file kept
when its name matches no ``IGNORE_FILES`` pattern and its extension is one a reader reads (any, for
static files, less the articles' and pages' sources). Static files that a text links to
(``{static}``) are the texts' business: ``pressroom.content.statics``.

Lint (and so the content gate, which runs its check) and the preview ask here;
tests/site/test_discovery.py checks on random trees that the answer is the set of sources Pelican
itself reads. The settings must be those Pelican
read (``read_settings``): it adds each kind's paths to the other's excludes."""

import fnmatch
import os

from pelican.readers import Readers


def reader_extensions(settings):
    """The extensions of the enabled readers (READERS may disable one or add one)."""
    return tuple(Readers(settings).extensions)


def sources(settings, kind, extensions=None):
    """Sorted absolute paths of the files Pelican takes as ``kind`` ("ARTICLE", "PAGE", "STATIC"):
    those with one of ``extensions`` (None: the enabled readers'; False: any)."""
    extensions = _extensions(settings, kind, extensions)
    found = set()
    for start in _starts(settings, kind):
        if os.path.isdir(start):
            found.update(_walk(settings, kind, start, extensions))
        elif os.path.exists(start) and _kept(settings, start, extensions):
            found.add(os.path.normpath(start))
    if kind == "STATIC" and settings.get("STATIC_EXCLUDE_SOURCES", True):
        found -= {path for other in ("ARTICLE", "PAGE") for path in sources(settings, other)}
    return sorted(found)


def is_source(settings, kind, path, extensions=None):
    """Whether ``sources(settings, kind, extensions)`` holds ``path``, without walking the tree; for a
    file just deleted, whether it was one (the preview asks after each change)."""
    extensions = _extensions(settings, kind, extensions)
    path = os.path.normpath(os.path.abspath(path))
    if os.path.isdir(path) or not _kept(settings, path, extensions):
        return False
    return any(_reached(settings, kind, start, path) for start in _starts(settings, kind))


def _extensions(settings, kind, extensions):
    if extensions is None:
        return False if kind == "STATIC" else reader_extensions(settings)
    return extensions


def _starts(settings, kind):
    root = settings["PATH"]
    return [os.path.join(root, path) if path else root for path in settings[f"{kind}_PATHS"]]


def _excluded(settings, kind):
    """{parent folder: names of its sub-folders left out}, as Pelican groups them."""
    by_parent = {}
    for path in settings.get(f"{kind}_EXCLUDES", []):
        parent, name = os.path.split(os.path.join(settings["PATH"], path))
        by_parent.setdefault(parent, set()).add(name)
    return by_parent


def _ignored(settings, name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.get("IGNORE_FILES", []))


def _kept(settings, path, extensions):
    name = os.path.basename(path)
    return not _ignored(settings, name) and (extensions is False or os.path.splitext(name)[1][1:] in extensions)


def _skipped_folder(settings, excluded, parent, name):
    return name in excluded.get(parent, ()) or _ignored(settings, name)


def _walk(settings, kind, start, extensions):
    excluded = _excluded(settings, kind)
    for folder, subfolders, names in os.walk(start, topdown=True, followlinks=True):
        subfolders[:] = [d for d in subfolders if not _skipped_folder(settings, excluded, folder, d)]
        for name in names:
            if _kept(settings, name, extensions):
                yield os.path.normpath(os.path.join(folder, name))


def _reached(settings, kind, start, path):
    """Whether the walk from ``start`` reaches ``path``: no folder on the way is left out."""
    if os.path.normpath(start) == path:
        return True
    relative = os.path.relpath(path, start)
    if not os.path.isdir(start) or relative.startswith(os.pardir):
        return False
    excluded, folder = _excluded(settings, kind), start
    for name in relative.split(os.sep)[:-1]:
        if _skipped_folder(settings, excluded, folder, name):
            return False
        folder = os.path.join(folder, name)
    return True
