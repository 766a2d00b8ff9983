"""Atomic writes. A state file (of the e-mail alerts, of the posts to the networks) is written
beside itself, then renamed over: never half-written.

Atomic output: a build writes into a fresh folder beside the output folder,
which takes the output folder's place by a rename only once the build is
complete. Whenever the build stops, the previous output folder is whole.

On Linux the two folders are exchanged in one step (``renameat2`` with
``RENAME_EXCHANGE``); elsewhere the previous folder is renamed aside first,
and a build that finds it aside with no output folder puts it back. The
previous folder is then renamed to a trash name and removed by a process of
its own, so that the build ends as soon as the new site is in place.
"""

import contextlib
import ctypes
import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def write_json(path, data, prefix):
    """Write ``data`` as JSON to a temporary file beside ``path``, synced, then rename it over ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".json", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as target:
            json.dump(data, target, ensure_ascii=False, indent=1, sort_keys=True)
            target.write("\n")
            target.flush()
            os.fsync(target.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def fresh_name(final, kind):
    return f"{final}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


def _exchange(first, second):
    """Swap two paths in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except AttributeError:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    return result == 0


def swap_in(fresh, final):
    """Put ``fresh`` in the place of ``final``; the previous folder ends at ``fresh`` or aside, then
    is removed in the background."""
    if not os.path.lexists(final):
        os.rename(fresh, final)
        return
    if _exchange(fresh, final):
        remove_in_background(fresh, final)
        return
    previous = fresh_name(final, "old")
    os.rename(final, previous)
    os.rename(fresh, final)
    remove_in_background(previous, final)


def remove_in_background(previous, final):
    """Remove the previous output by a process of its own, which outlives the build: the site is in
    place, and removing tens of thousands of files takes longer than writing them on some disks
    (about 3 ms a file on the development machine). Renamed to a trash name first, which the next
    build removes if this removal was stopped."""
    trash = fresh_name(final, "trash")
    os.rename(previous, trash)
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    subprocess.Popen(
        [sys.executable, "-c", code, trash],
        start_new_session=True,  # a stopped build, or its terminal, does not stop the removal
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def recover(final):
    """Called with the tree's lock held: no other build runs, so every ``.new-``/``.old-``
    sibling is left by a stopped build. A previous output set aside is put back first."""
    leftovers = sorted(glob.glob(glob.escape(final) + ".old-*"), key=os.path.getmtime)
    if leftovers and not os.path.lexists(final):
        os.rename(leftovers.pop(), final)
    for path in leftovers + glob.glob(glob.escape(final) + ".new-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in glob.glob(glob.escape(final) + ".trash-*"):
        remove_in_background(path, final)


@contextlib.contextmanager
def fresh_output(final):
    """A new empty folder beside ``final`` (same file system, so the rename is atomic).
    The caller calls ``swap_in`` when complete; otherwise the folder is removed."""
    final = os.path.abspath(final)
    os.makedirs(os.path.dirname(final), exist_ok=True)
    recover(final)
    fresh = fresh_name(final, "new")
    os.mkdir(fresh)  # with the user's umask, unlike mkdtemp: the site must stay readable by the web server
    try:
        yield fresh
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
