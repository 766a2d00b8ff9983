"""Property-based tests (Hypothesis): random values, hostile strings among them,
for every field of the schema and every key of the registry. Whatever they hold,
the build never shows a traceback, never writes outside the output folder or
over another page, and publishes only what lint accepted (lint and build agree).
Bounded examples; derandomized (a fixed seed) under CI."""

import os
import pathlib
import shutil

import pytest
from conftest import FIXTURE_SITE, lint_and_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.content import schema
from pressroom.content.registry import Registry, RegistryError

CI = bool(os.environ.get("CI"))
HOSTILE = [
    "index.html",
    "../../etc/evil",
    "a/b/c",
    "/etc/passwd",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "0001-01-01",
    "9999-12-31",
    "31 février 2024",
    "CMSS, CMSS",
    "Cmss",
    "",
    " ",
    "published",
    "draft",
    "hidden",
    "https://exemple.ml/a",
    "8 octobre 2024 à 9h30",
    "2024-10-08",
    "fr",
    "\u202f",
    "é" * 300,
    "x" * 5000,
]
LINE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=40,
)
VALUE = st.one_of(st.sampled_from(HOSTILE), LINE)
VALID = {"Title": "Article au hasard", "Date": "2024-03-04", "Author": "Awa Traoré", "Institutions": "CMSS"}
# A valid article with one to three fields given random or hostile values (a field may also be left out).
CHANGES = st.dictionaries(
    st.sampled_from([f.name for f in schema.FIELDS]), st.one_of(VALUE, st.none()), min_size=1, max_size=3
)
EXAMPLES = settings(
    max_examples=10, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def small_content(tmp_path_factory):
    """A content folder with the registry and one good article."""
    content = tmp_path_factory.mktemp("prop") / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    shutil.copy(FIXTURE_SITE / "institutions.yml", content / "institutions.yml")
    (content / "articles" / "2024" / "bon.md").write_text(
        "Title: Bon article\nDate: 2024-03-04\nAuthor: Awa Traoré\nInstitutions: CMSS\nSlug: bon\n\nTexte.\n",
        encoding="utf-8",
    )
    return content


def header(values):
    return "".join(f"{name}: {value}\n" for name, value in values.items())


@EXAMPLES
@given(changes=CHANGES)
def test_any_field_values_build_only_if_lint_accepts_them(small_content, tmp_path_factory, changes):
    values = {name: value for name, value in {**VALID, **changes}.items() if value is not None}
    content = tmp_path_factory.mktemp("case") / "content"
    shutil.copytree(small_content, content)
    article = content / "articles" / "2024" / "hasard.md"
    article.write_text(header(values) + "\nCorps du texte.\n", encoding="utf-8")
    lint_status, lint_lines, built = lint_and_build(content)
    output = built.output
    if built.status == 0:
        is_draft = str(values.get("Status", "")).strip().lower() == "draft"
        assert lint_status == 0 or is_draft, lint_lines  # lint refuses what a draft build leaves out
        written = [p for p in output.rglob("*") if p.is_file()]
        assert all(output in p.resolve().parents for p in written)
        home = (output / "index.html").read_text(encoding="utf-8")
        assert "<title>" in home and "Bon article" in home  # the home page is still the home page
    else:
        assert lint_status != 0, built.messages


REGISTRY_VALUE = st.one_of(
    VALUE,
    st.lists(VALUE, max_size=3),
    st.dictionaries(st.sampled_from(["nom", "courriel", "telephone", "x"]), VALUE, max_size=3),
    st.integers(),
    st.none(),
)
REGISTRY_KEYS = ["nom", "pays", "site", "description", "variantes", "contact_presse", "inconnu"]


def yaml_scalar(value):
    return "'" + str(value).replace("'", "''") + "'"


def yaml_value(value, indent):
    if isinstance(value, list):
        return "".join(f"\n{indent}- {yaml_scalar(v)}" for v in value) or " []"
    if isinstance(value, dict):
        return "".join(f"\n{indent}{k}: {yaml_scalar(v)}" for k, v in value.items()) or " {}"
    return " " + ("~" if value is None else yaml_scalar(value))


@settings(max_examples=150, deadline=None, derandomize=CI)
@given(
    entries=st.dictionaries(
        st.one_of(st.sampled_from(["CMSS", "INPS", "Cmss", "C M S S"]), LINE),
        st.dictionaries(st.sampled_from(REGISTRY_KEYS), REGISTRY_VALUE, max_size=6),
        max_size=4,
    )
)
def test_any_registry_loads_or_gives_french_lines(tmp_path_factory, entries):
    path = pathlib.Path(tmp_path_factory.mktemp("reg")) / "institutions.yml"
    lines = []
    for acronym, fields in entries.items():
        lines.append(f"{yaml_scalar(acronym)}:")
        lines += [f"  {key}:{yaml_value(value, '    ')}" for key, value in fields.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        registry = Registry.load(path)
    except RegistryError as error:
        assert str(error).strip() and all(":" in line for line in str(error).splitlines())
        return
    for institution in registry:
        assert registry.find(institution.acronym) is institution
