"""Child processes that never outlive the build that started them, and the
folders a killed build leaves behind.

A build killed with SIGKILL runs no ``finally`` and no ``atexit``: its forked
children (the compressing and reading workers) are stopped by the kernel
instead (Linux parent-death signal), Pagefind's service ends when its input
closes, and what they were writing is
removed by the next build, which knows from the process id in the folder's
name that its owner is gone.
"""

import contextlib
import ctypes
import errno
import glob
import multiprocessing
import os
import shutil
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _parent_death_signal(signum):
    """Ask Linux to send ``signum`` to this process when its parent dies; elsewhere nothing."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the orphan checks still apply
            pass


def die_with_parent(parent_pid):
    """In a forked child: be killed by the kernel when the parent dies (Linux), and
    leave at once if the parent already died between the fork and this call."""
    _parent_death_signal(signal.SIGKILL)
    # SIGTERM stops a child at once (Pool.terminate), never through the build's own handler,
    # inherited at the fork, which unwinds the build (raise_on_sigterm).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # forked with it blocked (worker_pool)
    if os.getppid() != parent_pid:
        os._exit(1)


def stop_with_parent():
    """The build's own process (invoke under make): stopped by SIGTERM when the command that
    started it dies, e.g. a killed ``make``, so that it unwinds (``raise_on_sigterm``)."""
    _parent_death_signal(signal.SIGTERM)


def child_pids():
    """Process ids of this process's children, from /proc (Linux); none elsewhere."""
    children = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat, encoding="ascii", errors="replace") as status:
                fields = status.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and fields[1] == str(os.getpid()):
            children.append(int(os.path.basename(os.path.dirname(stat))))
    return children


def stop_children():
    """Kill this process's children (Pagefind, workers) and reap them: an interrupted build
    removes its fresh folder only once nothing writes into it any more."""
    for pid in child_pids():
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass


def is_running(pid):
    """Whether ``pid`` runs: a zombie does not (a killed build's grandchild, such as the search
    indexing process, stays one until the system's first process collects it, which may take a while)."""
    try:
        os.kill(pid, 0)
    except OSError as error:
        return error.errno == errno.EPERM  # alive, but someone else's
    return not is_zombie(pid)


def is_zombie(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # the command name may hold « ) »
    except (OSError, IndexError):  # ended meanwhile, or no /proc
        return False


def owned_folder_prefix(prefix):
    """A folder name prefix that records the process id of its owner: ``recherche-1234-``."""
    return f"{prefix}{os.getpid()}-"


def remove_orphaned_folders(parent, prefix):
    """Remove the folders ``<prefix><pid>-*`` in ``parent`` whose owner process is gone."""
    for path in glob.glob(os.path.join(glob.escape(parent), glob.escape(prefix) + "*-*")):
        owner = os.path.basename(path)[len(prefix) :].partition("-")[0]
        if owner.isdigit() and not is_running(int(owner)):
            shutil.rmtree(path, ignore_errors=True)


def raise_on_sigterm():
    """Make SIGTERM (a killed ``make``, a stopped CI job) unwind the build like Ctrl-C, so
    that its ``finally`` clauses remove its temporary folders. Main thread only."""

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def stop(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    return lambda: signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def worker_pool(processes, initializer, initargs):
    """A pool of ``processes`` forked workers, each started with ``initializer(*initargs)``, which
    must call ``die_with_parent`` first.

    ``Pool.terminate`` sends SIGTERM; a worker not yet running when it comes (a busy machine) would
    take it with the build's own handler, which Python clears in a new child: the signal lost, the
    pool would wait for that worker forever. So the workers are forked with SIGTERM blocked (it
    waits, and ``die_with_parent`` lets it in once it stops the worker), and a pool whose work is
    done is closed, its workers leaving at the end of their queue, with no signal at all."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = multiprocessing.get_context("fork").Pool(processes, initializer=initializer, initargs=initargs)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        yield pool
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    pool.join()
