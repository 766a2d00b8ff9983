"""Each plugin alone, as pelican-plugins test theirs: the tests' site built with ``PLUGINS`` set to that
plugin and the content gate (which gives every article the ``fields`` our theme reads), then its own
output read back. A plugin that leans on another one without saying so fails here."""

import gzip
import json
import shutil
from xml.etree import ElementTree

import feedparser
import icalendar
from bs4 import BeautifulSoup
from conftest import FIXTURE_SITE, build_site
from seed_articles import read_metadata, seed_articles

from plugins.seo.seo import shorten
from pressroom import settings
from pressroom.build.compression import UNFINISHED_MARK

GATE = "content_gate"
SEEDS = seed_articles()
URLS = sorted(seed["url"] for seed in SEEDS)


def build_with(plugin, tmp_path, content=FIXTURE_SITE):
    built = build_site(content, tmp_path / "output", plugins=[GATE, plugin] if plugin else [GATE])
    assert built.status == 0, built.messages
    return built


def files(output):
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file())


def test_the_content_gate_alone_writes_the_pages_and_nothing_of_the_other_plugins(tmp_path):
    built = build_with(None, tmp_path)
    written = files(built.output)
    assert all(f"{url}index.html" in written for url in URLS)
    assert not [name for name in written if name.endswith(".gz")]
    assert not [name for name in written if name.startswith(("calendrier/", "pagefind/", "institutions/"))]
    for absent in (".manifeste.json", "sitemap.xml", "robots.txt", "adresses-publiees.txt"):
        assert absent not in written


def test_search_alone_indexes_every_article(tmp_path):
    built = build_with("search", tmp_path)
    shards = sorted((built.output / "pagefind").iterdir())
    assert [shard.name for shard in shards] == sorted({f"{seed['date']:%Y}" for seed in SEEDS})  # one per year
    counts = [json.loads((shard / "pagefind-entry.json").read_text("utf-8")) for shard in shards]
    assert sum(entry["languages"]["fr"]["page_count"] for entry in counts) == len(SEEDS)
    assert all(list((shard / "filter").iterdir()) for shard in shards)  # the institution and year filters


def test_events_alone_writes_the_agenda_and_one_calendar_event_per_article_event(tmp_path):
    built = build_with("events", tmp_path)
    calendar = icalendar.Calendar.from_ical((built.output / "calendrier" / "tout.ics").read_bytes())
    summaries = sorted(str(event["summary"]) for event in calendar.walk("VEVENT"))
    events = [seed for seed in SEEDS if "event" in seed]
    assert summaries == sorted(read_metadata(seed["path"])["event"] for seed in events)  # typeset by typography
    for seed in events:
        assert (built.output / "calendrier" / "evenements" / seed["url"].rstrip("/")).with_suffix(".ics").is_file()
    agenda = BeautifulSoup((built.output / "agenda" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(agenda.select(".event-item")) == len(events)


def test_redirects_alone_lists_the_addresses_and_sends_an_old_one_on(tmp_path):
    content = shutil.copytree(FIXTURE_SITE, tmp_path / "content")
    moved = SEEDS[0]
    source = moved["path"].relative_to(FIXTURE_SITE).as_posix()
    (content / "adresses-publiees.txt").write_text(f"2019/01/ancienne-adresse/\t{source}\n", encoding="utf-8")
    built = build_with("redirects", tmp_path, content)
    listed = (built.output / "adresses-publiees.txt").read_text(encoding="utf-8")
    addresses = {line.split("\t")[0] for line in listed.splitlines() if not line.startswith("#")}
    assert addresses == {*URLS, "2019/01/ancienne-adresse/"}
    old = built.soup("2019/01/ancienne-adresse/")
    assert old.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(moved["url"])


def test_gzip_copies_alone_gives_every_finished_text_file_the_same_bytes_compressed(tmp_path):
    built = build_with("gzip_copies", tmp_path)
    pages = [path for path in built.output.rglob("*") if path.suffix in (".html", ".xml", ".css", ".js")]
    # A page that still waits for its weight is the lite edition's to finish and compress: none here.
    unfinished = [path for path in pages if UNFINISHED_MARK in path.read_bytes()]
    finished = [path for path in pages if path not in unfinished]
    assert len(finished) > len(SEEDS)
    for path in finished:
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes(), path
    assert not [path for path in unfinished if path.with_name(path.name + ".gz").exists()]


def test_seo_alone_writes_the_sitemap_robots_and_the_news_article_of_each_page(tmp_path):
    built = build_with("seo", tmp_path)
    headline_limit = settings.DEFAULTS["SEO_HEADLINE_MAX_LENGTH"]
    sitemap = ElementTree.parse(built.output / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    site_url = locations[0].split("/20")[0]
    assert {f"{site_url}/{url}" for url in URLS} <= set(locations)
    assert f"Sitemap: {site_url}/sitemap.xml" in (built.output / "robots.txt").read_text(encoding="utf-8")
    for seed in SEEDS:
        blocks = [json.loads(s.string) for s in built.soup(seed["url"]).find_all("script", type="application/ld+json")]
        news = [block for block in blocks if block.get("@type") == "NewsArticle"]
        assert [block["headline"] for block in news] == [shorten(seed["source_title"], headline_limit)], seed["url"]


def test_manifest_alone_names_every_file_written_and_where_it_came_from(tmp_path):
    built = build_with("manifest", tmp_path)
    manifest = json.loads((built.output / ".manifeste.json").read_text(encoding="utf-8"))["fichiers"]
    assert sorted(manifest) == [name for name in files(built.output) if name != ".manifeste.json"]
    for seed in SEEDS:
        assert manifest[f"{seed['url']}index.html"] == seed["path"].relative_to(FIXTURE_SITE).as_posix()


def test_institutions_alone_writes_each_institution_page_and_feed(tmp_path):
    built = build_with("institutions", tmp_path)
    for acronym in ("CMSS", "INPS", "RMA"):
        citing = sorted(seed["source_title"] for seed in SEEDS if acronym in seed["institutions"])
        feed = feedparser.parse((built.output / "feeds" / "institutions" / f"{acronym.lower()}.atom.xml").read_bytes())
        assert sorted(entry.title for entry in feed.entries) == citing, acronym
        assert acronym in built.soup(f"institutions/{acronym.lower()}/").find("h1").get_text()
    assert (built.output / "contacts-presse" / "index.html").is_file()
