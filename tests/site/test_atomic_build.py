"""Atomic builds and the tree lock: a build killed with SIGKILL at several points
leaves the previous output folder identical, no process and no staging folder
behind; a second build waits for the first, or says in French who holds the tree."""

import hashlib
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from pressroom.tools import bench

ARTICLES = 100  # enough for the build to pass each point the test waits for


def tree_digest(folder):
    """Path -> SHA-256 of every file under ``folder``."""
    folder = pathlib.Path(folder)
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Build(subprocess.Popen):
    """A build subprocess whose messages go to a file: an orphan holding a pipe would make
    ``communicate`` wait for it, hiding it from the test."""

    def communicate(self, timeout=None):
        try:
            self.wait(timeout=timeout)
        except subprocess.TimeoutExpired:  # a hung build: stop it and its children, then report
            os.killpg(self.pid, signal.SIGKILL)
            self.wait()
            raise
        self.log.seek(0)
        return self.log.read(), None


def build_process(tree, environ):
    """A build of ``tree`` in a subprocess, in its own process group (its children are found by it)."""
    code = (
        "import sys; from pressroom.build import site; "
        f"sys.exit(site.build(path={str(tree / 'content')!r}, output_path={str(tree / 'output')!r}, "
        f"cache_path={str(tree / 'cache')!r}, load_content_cache=False))"
    )
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    process = Build([sys.executable, "-c", code], env=environ, start_new_session=True, stdout=log, stderr=log)
    process.log = log
    return process


def living_members(group):
    """Processes (not zombies) of a process group."""
    members = []
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def wait_until(condition, process, limit=120):
    """Poll until ``condition()``; False if the build ended first (the point was not reached)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except FileNotFoundError:  # the build renamed or removed a folder while we looked
            pass
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def fresh_folders(tree):
    return list(tree.glob("output.new-*")) + list(tree.glob("output.old-*"))


def staging_folders(tmpdir):
    return list(pathlib.Path(tmpdir).glob("recherche-*"))


POINTS = {
    "début": lambda tree, tmpdir: bool(fresh_folders(tree)),
    "fiches de recherche": lambda tree, tmpdir: any(any(f.rglob("*.html")) for f in staging_folders(tmpdir)),
    "pages écrites": lambda tree, tmpdir: any(len(list(f.glob("20*/*/*"))) > 20 for f in fresh_folders(tree)),
    "pagefind": lambda tree, tmpdir: any((f / "pagefind").exists() for f in fresh_folders(tree)),
    "copies gzip": lambda tree, tmpdir: any(any(f.glob("20*/*/*/index.html.gz")) for f in fresh_folders(tree)),
}


@pytest.fixture(scope="module")
def large_tree(tmp_path_factory):
    """A content folder with a synthetic archive, built once (the previous site)."""
    tree = tmp_path_factory.mktemp("arbre")
    bench.generate_archive(tree / "content", ARTICLES)
    tmpdir = tree / "tmp"
    tmpdir.mkdir()
    environ = dict(os.environ, TMPDIR=str(tmpdir))
    first = build_process(tree, environ)
    output, _ = first.communicate(timeout=300)
    assert first.returncode == 0, output
    return tree, environ


def forget_search_index(tree):
    """The search bundles that earlier builds left in the cache: without them, a build writes
    every search record and indexes every year, as the first build did."""
    shutil.rmtree(tree / "cache" / "recherche", ignore_errors=True)


@pytest.mark.parametrize("point", POINTS)
def test_killed_build_leaves_previous_output_whole_and_nothing_running(large_tree, point):
    tree, environ = large_tree
    forget_search_index(tree)
    before = tree_digest(tree / "output")
    build = build_process(tree, environ)
    reached = wait_until(lambda: POINTS[point](tree, environ["TMPDIR"]), build)
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert reached, f"la construction s'est terminée avant le point « {point} »"

    # The kernel kills the children with their parent: none is left once reaped, and none wrote
    # anything after the kill (a worker on its own one-second check of its parent, or Pagefind
    # finishing its index, would have).
    at_kill = tree_digest(tree)
    deadline = time.monotonic() + 10
    while living_members(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living_members(build.pid) == [], "un processus de la construction a survécu"
    assert tree_digest(tree) == at_kill, "un processus de la construction a écrit après l'arrêt"
    assert tree_digest(tree / "output") == before


def test_next_build_removes_what_a_killed_build_left(large_tree):
    tree, environ = large_tree
    forget_search_index(tree)
    build = build_process(tree, environ)
    assert wait_until(lambda: POINTS["fiches de recherche"](tree, environ["TMPDIR"]), build)
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert fresh_folders(tree) and staging_folders(environ["TMPDIR"])  # SIGKILL: nothing could remove them

    after = build_process(tree, environ)
    output, _ = after.communicate(timeout=300)
    assert after.returncode == 0, output
    assert fresh_folders(tree) == []
    assert staging_folders(environ["TMPDIR"]) == []


def test_a_rebuild_puts_the_new_site_in_place_then_removes_the_previous_one(large_tree):
    tree, environ = large_tree
    previous = (tree / "output").stat().st_ino
    build = build_process(tree, environ)
    output, _ = build.communicate(timeout=300)
    assert build.returncode == 0, output
    assert (tree / "output").stat().st_ino != previous and (tree / "output" / "index.html").exists()
    deadline = time.monotonic() + 120  # removed by a process of its own, after the build
    while list(tree.glob("output.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tree.glob("output.trash-*")) == []
    assert fresh_folders(tree) == []


def test_sigterm_interrupts_the_build_and_removes_its_folders(large_tree):
    tree, environ = large_tree
    before = tree_digest(tree / "output")
    build = build_process(tree, environ)
    assert wait_until(lambda: POINTS["pages écrites"](tree, environ["TMPDIR"]), build)
    build.send_signal(signal.SIGTERM)
    output, _ = build.communicate(timeout=60)
    assert build.returncode != 0
    assert "Construction interrompue" in output
    assert fresh_folders(tree) == []
    assert tree_digest(tree / "output") == before


def test_second_build_refuses_or_waits_and_indexes_are_never_mixed(large_tree):
    tree, environ = large_tree
    first = build_process(tree, environ)
    assert wait_until(lambda: bool(fresh_folders(tree)), first)
    refused = build_process(tree, dict(environ, PRESSROOM_ATTENTE="0"))
    refusal, _ = refused.communicate(timeout=60)
    assert refused.returncode == 4
    assert "Construction impossible : « invoke build » (processus" in refusal
    assert "depuis le" in refusal

    waiting = build_process(tree, dict(environ, PRESSROOM_ATTENTE="300"))
    first_output, _ = first.communicate(timeout=300)
    second_output, _ = waiting.communicate(timeout=300)
    assert (first.returncode, waiting.returncode) == (0, 0), first_output + second_output
    assert "En attente : « invoke build »" in second_output
    bundles = list((tree / "output" / "pagefind").iterdir())
    assert bundles and all(len(list(b.glob("pagefind.*.pf_meta"))) == 1 for b in bundles)  # none of two mixed


def test_build_stops_and_cleans_up_when_the_command_that_started_it_dies(large_tree):
    """`make build` killed: invoke (here the build's own process) gets SIGTERM and unwinds."""
    tree, environ = large_tree
    before = tree_digest(tree / "output")
    code = (
        "import sys; from pressroom.build import processes, site; processes.stop_with_parent(); "
        f"sys.exit(site.build(path={str(tree / 'content')!r}, output_path={str(tree / 'output')!r}, "
        f"cache_path={str(tree / 'cache')!r}, load_content_cache=False))"
    )
    log = tree / "make.log"
    make = subprocess.Popen(  # stands for make: a parent that waits for the build
        ["sh", "-c", f'"$0" -c "$1" > {log} 2>&1; echo fin', sys.executable, code],
        env=environ,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    assert wait_until(lambda: POINTS["pages écrites"](tree, environ["TMPDIR"]), make)
    os.kill(make.pid, signal.SIGKILL)
    make.wait()
    deadline = time.monotonic() + 60
    while living_members(make.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living_members(make.pid) == []
    assert "Construction interrompue" in log.read_text(encoding="utf-8")
    assert fresh_folders(tree) == []
    assert tree_digest(tree / "output") == before
