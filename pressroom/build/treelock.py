"""One lock per working tree, shared by build, preview, live reload and publish,
so that two commands never write the same output folder at once.

The lock is an advisory ``flock`` on ``.pressroom.lock`` beside the output
folder: the kernel releases it when its holder dies, even by SIGKILL, and the
forked workers of a build hold it with their parent. The file records who
holds it, so that a second command can say so in French.
"""

import contextlib
import datetime
import json
import os
import sys
import time

try:
    import fcntl
except ImportError:  # Windows: a lock on one byte far past the holder's description
    fcntl = None
    import msvcrt

LOCK_NAME = ".pressroom.lock"
WAIT_VARIABLE = "PRESSROOM_ATTENTE"  # seconds a second command waits for the lock
DEFAULT_WAIT = 60.0
POLL = 0.2


class TreeBusy(Exception):
    """Another command holds the lock of this tree; the message is French."""


def lock_path(output_path):
    return os.path.join(os.path.dirname(os.path.abspath(output_path)), LOCK_NAME)


def configured_wait(environ=os.environ):
    try:
        return max(0.0, float(environ.get(WAIT_VARIABLE, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def describe_holder(path):
    """« « invoke build » (processus 1234) travaille déjà sur ce dossier depuis le 02/12/2026 à 01:20:05 »."""
    try:
        with open(path, encoding="utf-8") as lock_file:
            holder = json.load(lock_file)
        started = datetime.datetime.fromisoformat(holder["started"]).astimezone()
        return (
            f"« {holder['command']} » (processus {holder['pid']}) travaille déjà sur ce dossier "
            f"depuis le {started:%d/%m/%Y à %H:%M:%S}"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "une autre commande travaille déjà sur ce dossier"


WINDOWS_LOCK_OFFSET = 1 << 20


def _try_lock(descriptor):
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(descriptor, WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    except OSError:  # BlockingIOError (flock), PermissionError (msvcrt)
        return False
    return True


def _acquire(descriptor, path, wait, out):
    if _try_lock(descriptor):
        return
    print(f"En attente : {describe_holder(path)}…", file=out)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL)
        if _try_lock(descriptor):
            return
    raise TreeBusy(
        f"{describe_holder(path)} ({os.path.dirname(path)}) — attendez "
        f"qu'elle se termine ou arrêtez-la, puis relancez (attente maximale : {WAIT_VARIABLE}={wait:g} s)"
    )


def _record_holder(descriptor, command):
    holder = {
        "pid": os.getpid(),
        "command": command,
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, json.dumps(holder, ensure_ascii=False).encode("utf-8") + b"\n")


@contextlib.contextmanager
def tree_lock(output_path, command, wait=None, out=sys.stderr):
    """Hold the tree's lock for the block; wait up to ``wait`` seconds, then raise TreeBusy."""
    path = lock_path(output_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        _acquire(descriptor, path, configured_wait() if wait is None else wait, out)
        _record_holder(descriptor, command)
        yield path
    finally:
        os.close(descriptor)  # releases the lock (with the last forked worker that shares it)
