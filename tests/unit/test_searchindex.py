"""The search index's shards: how years are sliced, when a cached bundle is taken, and the
build's French line."""

import pathlib

import pytest

from pressroom.build import searchindex


@pytest.mark.parametrize(
    ("year", "years_per_shard", "name"),
    [(2019, 1, "2019"), (2015, 5, "2015-2019"), (2019, 5, "2015-2019"), (2020, 5, "2020-2024"), (2001, 2, "2000-2001")],
)
def test_slices_start_at_a_multiple_of_their_size(year, years_per_shard, name):
    assert searchindex.shard_name(year, years_per_shard) == name


def test_shards_are_named_newest_first():
    assert searchindex.shard_names([2019, 2024, 2021, 2024], 1) == ["2024", "2021", "2019"]


def test_a_fingerprint_changes_with_a_record_its_address_or_the_language():
    shard = searchindex.Shard("2019", {"2019/01/a/index.html": "<p>un</p>"})
    moved = searchindex.Shard("2019", {"2019/02/a/index.html": "<p>un</p>"})
    edited = searchindex.Shard("2019", {"2019/01/a/index.html": "<p>deux</p>"})
    prints = {shard.fingerprint("fr"), moved.fingerprint("fr"), edited.fingerprint("fr"), shard.fingerprint("en")}
    assert len(prints) == 4
    assert shard.fingerprint("fr") == searchindex.Shard("2019", dict(shard.records)).fingerprint("fr")


def cached_bundle(cache, name, fingerprint, entry="{}"):
    """A bundle of one entry file, made in the cache as Pagefind's would be."""
    with cache.fresh(name, fingerprint) as bundle:
        pathlib.Path(bundle).mkdir()
        (pathlib.Path(bundle) / searchindex.ENTRY).write_text(entry, encoding="utf-8")


def test_a_cached_bundle_is_taken_for_its_fingerprint_and_only_whole(tmp_path):
    cache = searchindex.ShardCache(str(tmp_path))
    cached_bundle(cache, "2019", "empreinte")
    assert cache.holds("2019", "empreinte") and not cache.holds("2019", "autre")
    assert [p.name for p in tmp_path.iterdir()] == ["2019"]  # the folder it was made in, renamed
    (pathlib.Path(cache.bundle("2019")) / searchindex.ENTRY).unlink()
    assert not cache.holds("2019", "empreinte")


def test_a_bundle_that_fails_leaves_the_cached_one(tmp_path):
    cache = searchindex.ShardCache(str(tmp_path))
    cached_bundle(cache, "2019", "ancienne")
    with pytest.raises(RuntimeError), cache.fresh("2019", "nouvelle"):
        raise RuntimeError("Pagefind a échoué")
    assert cache.holds("2019", "ancienne")
    assert [p.name for p in tmp_path.iterdir()] == ["2019"]


@pytest.mark.parametrize(
    ("indexed", "shards", "line"),
    [
        (["2024"], 7, "recherche : 1 tranche indexée, 6 reprises du cache"),
        ([], 1, "recherche : 0 tranche indexée, 1 reprise du cache"),
        (["2024", "2023"], 2, "recherche : 2 tranches indexées, 0 reprise du cache"),
    ],
)
def test_the_build_says_how_many_shards_were_indexed_and_taken_from_the_cache(indexed, shards, line):
    indexing = searchindex.Indexing([searchindex.Shard(str(2024 - n)) for n in range(shards)], None, "fr")
    indexing.indexed = indexed
    assert indexing.summary() == line


def test_an_installed_bundle_is_linked_and_a_new_one_leaves_it_whole(tmp_path):
    cache, output = searchindex.ShardCache(str(tmp_path / "cache")), tmp_path / "output" / "pagefind"
    cached_bundle(cache, "2019", "v1", '{"version": 1}')
    searchindex.Indexing([searchindex.Shard("2019")], cache, "fr").install(str(output), announce=False)
    installed = output / "2019" / searchindex.ENTRY
    assert installed.samefile(pathlib.Path(cache.bundle("2019")) / searchindex.ENTRY)
    cached_bundle(cache, "2019", "v2", '{"version": 2}')  # the shard indexed again, by the next build
    assert installed.read_text(encoding="utf-8") == '{"version": 1}'
