"""The architecture holds: the order of PLUGINS does not change the site (the
enrichment runs in pressroom.build.pipeline's order), a change to our code never
leaves stale text in the reader cache, plugins never import one another, and
the guide's tables are the schema's."""

import ast
import dataclasses
import io
import json
import pathlib
import re
import shutil
import subprocess
import sys

from conftest import FIXTURE_SITE, ROOT

from pressroom.build import pipeline
from pressroom.content import schema
from pressroom.tools import guide

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


def test_the_documents_field_tables_are_the_schema():
    assert guide.stale() == [], "lancez invoke guide"


def test_invoke_guide_rewrites_a_stale_table_and_nothing_else(tmp_path):
    for relative in guide.TABLES:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    written = (tmp_path / guide.GUIDE).read_text(encoding="utf-8")
    stale_text = written.replace("| `Title` | oui |", "| `Title` | non |")
    (tmp_path / guide.GUIDE).write_text(stale_text, encoding="utf-8")
    assert guide.stale(tmp_path) == [guide.GUIDE]
    assert guide.write(tmp_path) == [guide.GUIDE]
    assert (tmp_path / guide.GUIDE).read_text(encoding="utf-8") == written


def test_every_stage_is_documented_in_the_pipeline():
    documented = pipeline.__doc__ + (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for stage in pipeline.STAGES:
        assert stage in documented


# --- Who reads an article's fields ----------------------------------------------

# The only modules that read a content's metadata: the schema, which types every field once
# (schema.Fields), and the header reader it stands on. Everything else reads ``fields``.
READS_METADATA = {ROOT / "pressroom" / "content" / "schema.py", ROOT / "pressroom" / "content" / "header.py"}
# Where Pelican's contents are handled (publish and reach read the published feeds, not contents).
CONTENT_CODE = ("plugins", "pressroom/content", "pressroom/build", "pressroom/preview")
# What a content holds besides ``fields``: Pelican's own attributes (made from the schema's parse:
# title, dates, authors, tags, category…) and the enrichment of pressroom.build.pipeline.
PELICAN_ATTRIBUTES = {
    "title", "date", "modified", "author", "authors", "tags", "category", "summary", "slug", "lang", "status",
    "url", "save_as", "content", "source_path", "relative_source_path", "translations", "locale_date",
}  # fmt: skip
CONTENT_ATTRIBUTES = PELICAN_ATTRIBUTES | {f.name for f in dataclasses.fields(pipeline.Enrichment)}
CONTENT_ATTRIBUTES |= {"fields", "preview_notice", "withdrawal"}


def raw_reads(source):
    """(line, what) of each read of a content's metadata, or of a field by its name, in a Python file."""
    fields_only = {spec.attribute for spec in schema.FIELDS} - CONTENT_ATTRIBUTES
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "metadata":
            found.append((node.lineno, ".metadata"))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("getattr", "hasattr", "setattr"):
            name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
            if name == "metadata" or name in fields_only:
                found.append((node.lineno, f'{node.func.id}(…, "{name}")'))
    return found


def test_only_the_schema_reads_an_articles_metadata():
    found = [
        (str(source.relative_to(ROOT)), *read)
        for folder in CONTENT_CODE
        for source in sorted((ROOT / folder).rglob("*.py"))
        if source not in READS_METADATA
        for read in raw_reads(source)
    ]
    assert not found, "lisez les champs par schema.fields_of(contenu) ou contenu.fields : " + repr(found)


TEMPLATE_READ = re.compile(r"\b(?:article|page)\.([a-z_]+)")


def test_templates_read_fields_through_article_fields():
    """A template reads from an article or a page only what Pelican and the pipeline give it, and each
    field through ``article.fields``, in a template its kind says shows it."""
    for template in sorted((ROOT / "theme" / "templates").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        shown = str(template.relative_to(ROOT / "theme" / "templates"))
        for attribute in TEMPLATE_READ.findall(text):
            assert attribute in CONTENT_ATTRIBUTES, (shown, attribute)
        for attribute in re.findall(r"\bfields\.([a-z_]+)", text):
            assert shown in schema.BY_ATTRIBUTE[attribute].kind.shown_in, (shown, attribute)


def test_a_raw_read_is_found(tmp_path):
    source = tmp_path / "plugin.py"
    source.write_text('def f(article):\n    return article.metadata.get("sms"), getattr(article, "image_alt", "")\n')
    assert sorted(raw_reads(source)) == [(2, ".metadata"), (2, 'getattr(…, "image_alt")')]


def test_invoke_guide_refuses_a_document_without_its_marks_and_changes_nothing(tmp_path):
    for relative in guide.TABLES:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / relative, tmp_path / relative)
    unmarked = (tmp_path / guide.GUIDE).read_text(encoding="utf-8").replace("<!-- fin champs:evenement -->\n", "")
    (tmp_path / guide.GUIDE).write_text(unmarked, encoding="utf-8")
    out = io.StringIO()
    assert guide.run(tmp_path, out) == 1
    assert "docs/guide-redaction.md" in out.getvalue() and "fin champs:evenement" in out.getvalue()
    assert "Traceback" not in out.getvalue()
    assert (tmp_path / guide.GUIDE).read_text(encoding="utf-8") == unmarked
