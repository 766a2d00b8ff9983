"""The plugins that make the build faster change nothing in what it writes:
parallel reading (plugins/parallel_read) and .gz copies made while pages are
written (plugins/gzip_copies)."""

import gzip
import io
import logging
import multiprocessing
import os
import shutil

import pytest
from conftest import build_site, write_article

from plugins.gzip_copies import gzip_copies
from plugins.parallel_read import parallel_read
from pressroom.build import lint
from pressroom.tools import bench


def text_outputs(output):
    """Every HTML, XML and iCalendar file of a build, by path (Pagefind's index aside)."""
    return {
        str(p.relative_to(output)): p.read_bytes()
        for p in sorted(output.rglob("*"))
        if p.suffix in {".html", ".xml", ".ics", ".txt"} and "pagefind" not in p.parts
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    content = tmp_path_factory.mktemp("archive") / "content"
    bench.generate_archive(content, 40)
    return content


def test_parallel_read_writes_the_same_site_as_one_process(archive, tmp_path):
    alone = build_site(archive, tmp_path / "alone" / "output", parallel_read_processes=1)
    parallel = build_site(
        archive, tmp_path / "parallel" / "output", parallel_read_processes=2, parallel_read_min_files=1
    )
    assert alone.status == 0 and parallel.status == 0, alone.messages + parallel.messages
    pages = text_outputs(alone.output)
    assert len([p for p in pages if p.endswith("index.html")]) > 40
    assert text_outputs(parallel.output) == pages


def test_parallel_read_leaves_a_bad_article_to_pelican_and_its_french_message(archive, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    write_article(
        content,
        "2024/mauvaise-date.md",
        "Title: Date impossible\nDate: 31 février 2024\nAuthor: A. Sow\nInstitutions: CMSS\n\nTexte.\n",
    )
    built = build_site(content, tmp_path / "output", parallel_read_processes=2, parallel_read_min_files=1)
    assert built.status != 0
    assert "mauvaise-date.md" in built.messages and "Date" in built.messages


def test_a_read_that_logs_a_warning_is_read_again_by_pelican(tmp_path):
    """A worker's warning would be lost in its process: the file is left to Pelican's own read."""

    class WarningReader:
        def read(self, path):
            logging.getLogger("pelican.readers").warning("Duplicate definition of `title`")
            return "<p>texte</p>", {}

    class QuietReader:
        def read(self, path):
            return "<p>texte</p>", {"title": "Titre"}

    class Readers:
        readers = {"md": WarningReader()}

    parallel_read._Worker.start(Readers)
    try:
        assert parallel_read._Worker.read(str(tmp_path / "a.md")) == (str(tmp_path / "a.md"), None)
        Readers.readers["md"] = QuietReader()
        assert parallel_read._Worker.read(str(tmp_path / "a.md"))[1] == ("<p>texte</p>", {"title": "Titre"})
    finally:
        logging.getLogger().removeHandler(parallel_read._Worker.warnings)


def test_reads_that_cannot_come_back_from_a_worker_are_left_to_pelican(tmp_path):
    """Metadata that cannot be pickled (a plugin's object) stays out of the cache, without failing."""

    class Reader:
        def read(self, path):
            if path.endswith("b.md"):
                return "<p>b</p>", {"later": lambda: None}
            return "<p>a</p>", {}

    class Readers:
        readers = {"md": Reader()}
        cached = {}

        def cache_data(self, path, data):
            self.cached[path] = data

    readers = Readers()
    paths = [str(tmp_path / name) for name in ("a.md", "b.md")]
    parallel_read.read_in_parallel(readers, paths, 2)
    assert readers.cached == {paths[0]: ("<p>a</p>", {})}


def test_gzip_copy_is_deterministic_and_skipped_when_not_smaller(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>Protection sociale</p>\n" * 200, encoding="utf-8")
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("a", encoding="utf-8")
    assert gzip_copies.gzip_copy(str(page)) is None and gzip_copies.gzip_copy(str(tiny)) is None
    first = (tmp_path / "page.html.gz").read_bytes()
    assert gzip.decompress(first) == page.read_bytes()
    gzip_copies.gzip_copy(str(page))
    assert (tmp_path / "page.html.gz").read_bytes() == first
    assert not (tmp_path / "tiny.txt.gz").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "page.html.gz", "tiny.txt"]


def test_no_copy_that_says_something_else_stays_beside_a_file_too_small_to_compress(tmp_path):
    tiny = tmp_path / "tiny.txt"
    tiny.write_text("a", encoding="utf-8")
    (tmp_path / "tiny.txt.gz").write_bytes(gzip.compress(b"<script>alert(1)</script>"))
    assert gzip_copies.gzip_copy(str(tiny)) is None
    assert not (tmp_path / "tiny.txt.gz").exists()


@pytest.mark.parametrize("processes", [2, 0], ids=["worker processes", "no fork (Windows)"])
def test_stale_gz_copies_are_made_again(tmp_path, processes):
    page = tmp_path / "page.html"
    page.write_text("<p>ancien</p>\n" * 100, encoding="utf-8")
    gzip_copies.gzip_copy(str(page))
    page.write_text("<p>nouveau</p>\n" * 100, encoding="utf-8")
    old = os.path.getmtime(page) - 10
    os.utime(tmp_path / "page.html.gz", (old, old))
    (tmp_path / "feed.xml").write_text("<feed>" + "<entry/>" * 100 + "</feed>", encoding="utf-8")
    compressor = gzip_copies.Compressor({"OUTPUT_PATH": str(tmp_path), "GZIP_COPIES_PROCESSES": processes})
    assert sorted(os.path.basename(p) for p in compressor.stale_files()) == ["feed.xml", "page.html"]
    compressor.finish()
    assert gzip.decompress((tmp_path / "page.html.gz").read_bytes()) == page.read_bytes()
    assert gzip.decompress((tmp_path / "feed.xml.gz").read_bytes()) == (tmp_path / "feed.xml").read_bytes()
    assert list(compressor.stale_files()) == []


def test_a_build_that_fails_on_content_starts_no_compression_process(tmp_path, content_copy):
    write_article(
        content_copy, "2024/sans-auteur.md", "Title: Sans auteur\nDate: 2024-10-08\nInstitutions: CMSS\n\nTexte.\n"
    )
    before = set(multiprocessing.active_children())
    built = build_site(content_copy, tmp_path / "output")
    assert built.status != 0
    assert set(multiprocessing.active_children()) == before


@pytest.mark.parametrize("processes", [1, 2])
def test_the_gate_checks_articles_in_worker_processes_with_the_same_messages(archive, tmp_path, processes):
    content = tmp_path / "content"
    shutil.copytree(archive, content)
    write_article(
        content,
        "2024/institution-inconnue.md",
        "Title: Institution inconnue\nDate: 2024-03-04\nAuthor: A. Sow\nInstitutions: XYZ\n"
        "Category: Actualité\nSummary: Un résumé.\n\nTexte <script>alert(1)</script>.\n",
    )
    settings = {"parallel_read_processes": processes, "parallel_read_min_files": 1}
    out = io.StringIO()
    assert lint.run("pelicanconf.py", out=out, path=content, **settings) != 0
    built = build_site(content, tmp_path / "output", **settings)
    assert built.status != 0
    for message in (out.getvalue(), built.messages):
        assert message.count("institution-inconnue.md") >= 2, message  # the institution and the script
        assert "XYZ" in message and "Traceback" not in message
    assert sorted(line for line in out.getvalue().splitlines() if "institution-inconnue.md" in line) == sorted(
        line for line in built.messages.splitlines() if "institution-inconnue.md" in line
    )
