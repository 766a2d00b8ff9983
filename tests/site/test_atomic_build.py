"""Atomic builds and the tree lock: a build killed with SIGKILL at several points
leaves the previous output folder identical, no process and no staging folder
behind; a second build waits for the first, or says in French who holds the tree."""

import hashlib
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import pytest

from pressroom import bench

ARTICLES = 150  # enough for the build to pass each point the test waits for


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
        self.wait(timeout=timeout)
        self.log.seek(0)
        return self.log.read(), None


def build_process(tree, environ):
    """A build of ``tree`` in a subprocess, in its own process group (its children are found by it)."""
    code = (
        "import sys; from pressroom import site; "
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
        if condition():
            return True
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


@pytest.mark.parametrize("point", POINTS)
def test_killed_build_leaves_previous_output_whole_and_nothing_running(large_tree, point):
    tree, environ = large_tree
    before = tree_digest(tree / "output")
    build = build_process(tree, environ)
    reached = wait_until(lambda: POINTS[point](tree, environ["TMPDIR"]), build)
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert reached, f"la construction s'est terminée avant le point « {point} »"

    # The kernel kills the children with their parent; a moment for the orphans to be reaped,
    # shorter than a worker's own one-second check of its parent, or than Pagefind's indexing.
    deadline = time.monotonic() + 0.5
    while living_members(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert living_members(build.pid) == [], "un processus de la construction a survécu"
    assert tree_digest(tree / "output") == before

    after = build_process(tree, environ)  # the next build removes what the killed one left
    output, _ = after.communicate(timeout=300)
    assert after.returncode == 0, output
    assert fresh_folders(tree) == []
    assert staging_folders(environ["TMPDIR"]) == []


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


def test_second_build_says_in_french_who_holds_the_tree(large_tree):
    tree, environ = large_tree
    first = build_process(tree, environ)
    assert wait_until(lambda: bool(fresh_folders(tree)), first)
    second = build_process(tree, dict(environ, PRESSROOM_ATTENTE="0"))
    refused, _ = second.communicate(timeout=60)
    first.communicate(timeout=300)
    assert second.returncode == 3
    assert "Construction impossible : « invoke build » (processus" in refused
    assert "depuis le" in refused
    assert first.returncode == 0


def test_second_build_waits_for_the_first(large_tree):
    tree, environ = large_tree
    first = build_process(tree, environ)
    assert wait_until(lambda: bool(fresh_folders(tree)), first)
    second = build_process(tree, dict(environ, PRESSROOM_ATTENTE="300"))
    first_output, _ = first.communicate(timeout=300)
    second_output, _ = second.communicate(timeout=300)
    assert (first.returncode, second.returncode) == (0, 0), first_output + second_output
    assert "En attente : « invoke build »" in second_output
    pagefind = tree / "output" / "pagefind"
    indexes = list(pagefind.glob("pagefind-entry.json"))
    assert len(indexes) == 1
    assert len(list(pagefind.glob("index/*.pf_index"))) == len(set(pagefind.glob("index/*.pf_index")))
