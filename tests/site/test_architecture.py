"""The architecture holds: the order of PLUGINS does not change the site (the
enrichment runs in pressroom.build.pipeline's order), a change to our code never
leaves stale text in the reader cache, plugins never import one another, and
the guide's tables are the schema's."""

import json
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
from conftest import FIXTURE_SITE, ROOT

from pressroom.build import pipeline
from pressroom.content import schema

BUILD = """
import json, sys
from pressroom.build import site
status = site.build(sys.argv[1], out=sys.stdout, **json.loads(sys.argv[2]))
sys.exit(status)
"""


def build_in_a_new_process(settings_file, output, cache, **overrides):
    """A build in its own interpreter: Pelican's signals keep their receivers for the life of a process."""
    overrides = dict(
        overrides, path=str(FIXTURE_SITE), output_path=str(output), cache_path=str(cache), search_index=False
    )
    result = subprocess.run(
        [sys.executable, "-c", BUILD, str(settings_file), json.dumps(overrides)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


EMPTY_FEED_TIME = re.compile(rb"<updated>[^<]*</updated>(?=[^\n]*</subtitle></feed>|<subtitle>[^<]*</subtitle></feed>)")


def site_files(output):
    """Every text file of a build (no .gz, no search index); an empty feed's build time masked."""
    files = {}
    for path in sorted(pathlib.Path(output).rglob("*")):
        if path.is_file() and path.suffix != ".gz":
            data = path.read_bytes()
            if path.suffix == ".xml" and b"<entry>" not in data:
                data = re.sub(rb"<updated>[^<]*</updated>", b"", data)
            files[str(path.relative_to(output))] = data
    return files


def test_the_order_of_plugins_does_not_change_the_site(tmp_path):
    from pressroom.build.site import load_settings

    plugins = load_settings("pelicanconf.py")["PLUGINS"]
    shuffled = plugins[::-1]
    shuffled = shuffled[1::2] + shuffled[::2]
    assert shuffled != plugins and sorted(shuffled) == sorted(plugins)
    build_in_a_new_process("pelicanconf.py", tmp_path / "as-set", tmp_path / "c1")
    build_in_a_new_process("pelicanconf.py", tmp_path / "shuffled", tmp_path / "c2", plugins=shuffled)
    expected = site_files(tmp_path / "as-set")
    assert len(expected) > 50
    assert site_files(tmp_path / "shuffled") == expected


def test_a_change_to_our_code_invalidates_the_reader_cache(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("plugins", "theme"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pelicanconf.py", project / "pelicanconf.py")
    settings = project / "pelicanconf.py"
    build_in_a_new_process(settings, tmp_path / "before", tmp_path / "cache")

    typography = project / "plugins" / "typography" / "typography.py"
    rule = 'NNBSP = "\\u202f"'  # the narrow no-break space of every rule
    assert rule in typography.read_text(encoding="utf-8")
    typography.write_text(typography.read_text(encoding="utf-8").replace(rule, 'NNBSP = "\\u00a0"'))

    build_in_a_new_process(settings, tmp_path / "rebuilt", tmp_path / "cache")  # the same cache, no clean
    build_in_a_new_process(settings, tmp_path / "fresh", tmp_path / "fresh-cache")
    rebuilt, fresh = site_files(tmp_path / "rebuilt"), site_files(tmp_path / "fresh")
    assert rebuilt != site_files(tmp_path / "before")  # the new rule shows
    assert rebuilt == fresh


def test_a_rebuild_reads_nothing_from_the_sources_when_nothing_changed(tmp_path):
    """The reader cache is used: the stamp is the one of the settings as loaded, not of the
    settings after Pelican and the plugins have written their runtime state into them."""
    first = build_in_a_new_process("pelicanconf.py", tmp_path / "first", tmp_path / "cache")
    articles = len(list((FIXTURE_SITE / "articles").rglob("*.md")))
    assert f"{articles} articles : {articles} lus, 0 depuis le cache" in first.stdout
    again = build_in_a_new_process("pelicanconf.py", tmp_path / "again", tmp_path / "cache")
    assert f"{articles} articles : 0 lus, {articles} depuis le cache" in again.stdout
    assert site_files(tmp_path / "again") == site_files(tmp_path / "first")


def test_no_plugin_imports_another_and_pressroom_imports_no_plugin():
    plugins = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").exists())
    for plugin in plugins:
        for source in (ROOT / "plugins" / plugin).glob("*.py"):
            text = source.read_text(encoding="utf-8")
            others = [
                p for p in plugins if p != plugin and re.search(rf"\b(plugins\.)?{p}\b\s+import|import\s+plugins", text)
            ]
            assert not re.search(r"^\s*(from|import)\s+plugins\b", text, re.M), source
            assert not others, (source, others)
    for source in (ROOT / "pressroom").rglob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+plugins\b", source.read_text(encoding="utf-8"), re.M), source


def test_no_place_or_language_is_hard_wired_outside_the_settings():
    allowed = {ROOT / "pressroom" / "settings.py"}
    for folder in ("pressroom", "plugins", "theme"):
        for source in (ROOT / folder).rglob("*"):
            if source.is_file() and source.suffix in (".py", ".html") and source not in allowed:
                code = "\n".join(
                    line
                    for line in source.read_text(encoding="utf-8").splitlines()
                    if not line.lstrip().startswith("#")
                )
                for literal in ('"fr_FR"', "'fr_FR'", '"Africa/Bamako"', '"institutions.yml"'):
                    assert literal not in code, (source, literal)


@pytest.mark.parametrize("group", ["article", "event"])
def test_the_guide_tables_are_the_schema(group):
    guide = (ROOT / "docs" / "guide-redaction.md").read_text(encoding="utf-8")
    assert schema.guide_table(group) in guide


def test_every_stage_is_documented_in_the_pipeline():
    documented = pipeline.__doc__ + (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for stage in pipeline.STAGES:
        assert stage in documented
