"""Pelican's reader cache, keyed by everything that made it.

Pelican checks only each source file's own stamp. What our readers write into
the cache (typeset bodies, acronym links, French dates) also depends on our
code, the theme, the settings and the institution registry: when any of them
changes, every file is read afresh. The stamp is recorded once a build has
saved its cache.
"""

import hashlib
import os
import pathlib

from .settings import registry_path

STAMP_FILE = "pressroom.stamp"
PACKAGE = pathlib.Path(__file__).resolve().parent
# Settings that say where things go, not what a reader makes of a file.
PLACES = {"OUTPUT_PATH", "CACHE_PATH", "LOAD_CONTENT_CACHE", "PATH", "WRITE_SELECTED"}


def stable(value):
    """A representation of a setting that is the same in every process (no object address)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{stable(k)}:{stable(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(stable(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(stable(v) for v in value)) + "}"
    return type(value).__qualname__


def code_files(settings):
    """Our Python code (this package and the plugins) and the theme."""
    roots = [PACKAGE, *(pathlib.Path(p) for p in settings.get("PLUGIN_PATHS", []))]
    if settings.get("THEME"):
        roots.append(pathlib.Path(settings["THEME"]))
    for root in roots:
        yield from sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".css"))


def stamp(settings):
    digest = hashlib.sha256()
    for path in code_files(settings):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    try:
        digest.update(pathlib.Path(registry_path(settings)).read_bytes())
    except OSError:
        pass
    digest.update(stable({k: v for k, v in settings.items() if k.isupper() and k not in PLACES}).encode())
    return digest.hexdigest()


def stamp_path(settings):
    return os.path.join(settings["CACHE_PATH"], STAMP_FILE)


def ignore_stale_cache(settings):
    """Before Pelican loads its reader cache: read every file afresh if the stamp differs."""
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    try:
        recorded = pathlib.Path(stamp_path(settings)).read_text(encoding="utf-8")
    except OSError:
        recorded = ""
    if recorded != stamp(settings):
        settings["LOAD_CONTENT_CACHE"] = False


def record_stamp(settings):
    """After a build has saved its reader cache."""
    if settings.get("CACHE_CONTENT"):
        os.makedirs(settings["CACHE_PATH"], exist_ok=True)
        pathlib.Path(stamp_path(settings)).write_text(stamp(settings), encoding="utf-8")
