"""Property-based tests (Hypothesis) of the text of an article: random bodies mixing
hostile HTML and Markdown never put an executable element, an ``on*`` attribute, a
``javascript:`` URL or a meta refresh in a page or a feed. Each wall holds alone: the
check (lint and build refuse the body) and the sanitizer (whatever the check let
through). Bounded examples; derandomized (a fixed seed) under CI."""

import io
import os
import shutil

import pytest
from conftest import FIXTURE_SITE, build_site
from hostile_bodies import MARKDOWN, SNIPPETS, dangers, site_dangers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pressroom.build import lint
from pressroom.build.site import load_settings
from pressroom.content import body, schema
from pressroom.content.text import INVISIBLE

CI = bool(os.environ.get("CI"))
PIECE = st.one_of(st.sampled_from(SNIPPETS), st.sampled_from(MARKDOWN), st.text(max_size=20))
BODY = st.lists(PIECE, min_size=1, max_size=6).flatmap(
    lambda pieces: st.sampled_from(["\n\n", " ", "\n"]).map(lambda glue: glue.join(pieces))
)
SETTINGS = load_settings("pelicanconf.py")
HEADER = (
    "Title: Texte au hasard\nDate: 2024-03-04\nAuthor: Awa Traoré\nInstitutions: CMSS\nSummary: Résumé.\n"
    "Slug: hasard\n\n"
)


@settings(max_examples=300, deadline=None, derandomize=CI)
@given(text=BODY)
def test_the_sanitizer_leaves_nothing_that_runs(text):
    fragment = body.render(text, SETTINGS)
    assert dangers(body.sanitize(fragment)) == []


@settings(max_examples=300, deadline=None, derandomize=CI)
@given(text=BODY)
def test_a_body_the_check_accepts_holds_nothing_that_runs(text):
    fragment = body.render(text, SETTINGS)
    refused, _ = body.refusals(fragment)
    assert refused or dangers(fragment) == [], fragment


@pytest.fixture(scope="module")
def small_content(tmp_path_factory):
    content = tmp_path_factory.mktemp("body") / "content"
    (content / "articles" / "2024").mkdir(parents=True)
    shutil.copy(FIXTURE_SITE / "institutions.yml", content / "institutions.yml")
    return content


def build_with(small_content, tmp_path_factory, text):
    content = tmp_path_factory.mktemp("case") / "content"
    shutil.copytree(small_content, content)
    (content / "articles" / "2024" / "hasard.md").write_text(HEADER + text + "\n", encoding="utf-8")
    built = build_site(content, content.parent / "output", search_index=False, gzip_copies=False)
    assert "Traceback" not in built.messages and "erreur inattendue" not in built.messages, built.messages
    return content, built


EXAMPLES = settings(
    max_examples=8, deadline=None, derandomize=CI, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@EXAMPLES
@given(text=BODY)
def test_lint_and_build_agree_on_any_body_and_the_site_holds_nothing_that_runs(small_content, tmp_path_factory, text):
    content, built = build_with(small_content, tmp_path_factory, text)
    status = lint.run(out=io.StringIO(), path=str(content))
    assert (built.status == 0) == (status == 0), built.messages
    if built.status == 0:
        assert site_dangers(built.output) == []


@EXAMPLES
@given(text=BODY)
def test_with_the_check_off_the_sanitizer_alone_keeps_the_site_clean(small_content, tmp_path_factory, text):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(body, "check_body", lambda *args: [])
        content, built = build_with(small_content, tmp_path_factory, text)
    if not (INVISIBLE.search(text) or schema.FORBIDDEN_CHARACTERS.search(text)):  # refused by another check
        assert built.status == 0, built.messages
    if built.status == 0:
        assert site_dangers(built.output) == []
        assert not any("\u202e" in page.read_text(encoding="utf-8") for page in built.output.rglob("*.html"))
