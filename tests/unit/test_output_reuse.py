"""A build's fresh folder takes the files of the site in place that it writes again unchanged, as
hard links (pressroom.build.output.place, pressroom.build.compression.previous_copy), and never
writes into a file: the site in place, which shares those files, keeps its bytes whatever the
build writes next."""

import gzip
import os

import pytest

from pressroom.build import atomic, compression, engine, output

PAGE = "<p>Communiqué de la CMSS : l'assemblée générale se tient à Bamako.</p>\n".encode() * 40


@pytest.fixture
def sites(tmp_path):
    """(the site in place, a fresh folder that will replace it), the site holding one page."""
    final = tmp_path / "output"
    (final / "2024" / "cmss").mkdir(parents=True)
    (final / "2024" / "cmss" / "index.html").write_bytes(PAGE)
    fresh = tmp_path / os.path.basename(atomic.fresh_name(str(final), "new"))
    fresh.mkdir()
    return final, fresh


def same_file(first, second):
    return os.stat(first).st_ino == os.stat(second).st_ino


def test_a_fresh_folder_names_the_site_it_replaces(sites):
    final, fresh = sites
    assert atomic.replaced_path(fresh / "2024" / "cmss" / "index.html") == str(final / "2024" / "cmss" / "index.html")
    assert atomic.replaced_path(final / "2024" / "cmss" / "index.html") is None
    assert atomic.replaced_path(fresh) is None  # the folder itself is no file of the site


def test_an_unchanged_file_is_the_previous_one_and_a_changed_one_is_new(sites):
    final, fresh = sites
    output.write_output(str(fresh), "2024/cmss/index.html", PAGE)
    assert same_file(fresh / "2024/cmss/index.html", final / "2024/cmss/index.html")

    output.write_output(str(fresh), "2024/cmss/autre.html", PAGE)  # no such file in the site: written
    assert (fresh / "2024/cmss/autre.html").stat().st_nlink == 1

    changed = PAGE.replace(b"Bamako", b"Kayes")
    output.rewrite_output(str(fresh), "2024/cmss/index.html", changed)
    assert (fresh / "2024/cmss/index.html").read_bytes() == changed
    assert (final / "2024/cmss/index.html").read_bytes() == PAGE  # the site in place kept its page
    assert not same_file(fresh / "2024/cmss/index.html", final / "2024/cmss/index.html")


def test_a_file_outside_a_fresh_folder_is_written_and_never_linked(sites):
    final, _ = sites
    elsewhere = final.parent / "apercu"
    output.write_output(str(elsewhere), "2024/cmss/index.html", PAGE)
    assert (elsewhere / "2024/cmss/index.html").stat().st_nlink == 1


def test_a_file_of_the_same_size_but_other_bytes_is_not_taken(sites):
    final, fresh = sites
    other = PAGE.replace(b"CMSS", b"INPS")
    assert len(other) == len(PAGE)
    output.write_output(str(fresh), "2024/cmss/index.html", other)
    assert (fresh / "2024/cmss/index.html").read_bytes() == other
    assert (final / "2024/cmss/index.html").read_bytes() == PAGE


def test_a_symbolic_link_of_the_site_in_place_is_never_followed(sites, tmp_path):
    final, fresh = sites
    secret = tmp_path / "secret.txt"
    secret.write_bytes(PAGE)
    (final / "lien.html").symlink_to(secret)
    output.write_output(str(fresh), "lien.html", PAGE)
    assert not same_file(fresh / "lien.html", secret)
    assert (fresh / "lien.html").stat().st_nlink == 1


def test_a_gzip_copy_is_taken_from_the_site_in_place_only_when_it_gives_the_same_bytes(sites):
    final, fresh = sites
    compression.write_gzip_copy(str(final / "2024/cmss/index.html"))
    page = fresh / "2024/cmss/index.html"
    output.write_output(str(fresh), "2024/cmss/index.html", PAGE)
    assert compression.write_gzip_copy(str(page), PAGE) is None
    assert same_file(f"{page}.gz", final / "2024/cmss/index.html.gz")

    changed = PAGE.replace(b"Bamako", b"Kayes")
    output.rewrite_output(str(fresh), "2024/cmss/index.html", changed)
    compression.write_gzip_copy(str(page), changed)
    assert gzip.decompress((fresh / "2024/cmss/index.html.gz").read_bytes()) == changed
    assert gzip.decompress((final / "2024/cmss/index.html.gz").read_bytes()) == PAGE


@pytest.mark.parametrize(
    "copy",
    [
        pytest.param(lambda data: compression.gzip_bytes(data.replace(b"CMSS", b"INPS")), id="autre-contenu"),
        pytest.param(lambda data: compression.gzip_bytes(data) + compression.gzip_bytes(b"x"), id="suite-cachee"),
        pytest.param(lambda data: compression.gzip_bytes(data + b"<script>"), id="plus-long"),
        pytest.param(lambda data: compression.gzip_bytes(data)[:-9], id="tronquee"),
        pytest.param(lambda data: b"pas du gzip", id="illisible"),
    ],
)
def test_a_copy_of_the_site_in_place_that_says_something_else_is_never_taken(sites, copy):
    final, fresh = sites
    (final / "2024/cmss/index.html.gz").write_bytes(copy(PAGE))
    output.write_output(str(fresh), "2024/cmss/index.html", PAGE)
    assert compression.write_gzip_copy(str(fresh / "2024/cmss/index.html"), PAGE) is None
    assert gzip.decompress((fresh / "2024/cmss/index.html.gz").read_bytes()) == PAGE
    assert not same_file(fresh / "2024/cmss/index.html.gz", final / "2024/cmss/index.html.gz")


def test_pelican_and_its_static_copies_never_write_into_a_linked_file(sites, tmp_path):
    final, fresh = sites
    output.write_output(str(fresh), "2024/cmss/index.html", PAGE)  # linked to the site in place
    source = tmp_path / "statique.html"
    source.write_bytes(b"<p>autre</p>")
    engine.copy_to_new_file(str(source), str(fresh / "2024/cmss/index.html"))
    assert (final / "2024/cmss/index.html").read_bytes() == PAGE

    output.write_output(str(fresh), "2024/cmss/index.html", PAGE)
    writer = engine.Writer(str(fresh), settings={"RELATIVE_URLS": False, "SITEURL": ""})
    with writer.open_page(str(fresh / "2024/cmss/index.html"), "utf-8") as page:
        page.write("<p>réécrite</p>")
    assert (final / "2024/cmss/index.html").read_bytes() == PAGE
    assert (fresh / "2024/cmss/index.html").read_text(encoding="utf-8") == "<p>réécrite</p>"
