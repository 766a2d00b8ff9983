"""The live content/ (the editors' articles and registry): the one test that reads it. Every other site
test builds the tests' own site (tests/fixtures/site), so an editor's change never ripples through them."""

import io

from conftest import LIVE_CONTENT, build_site

from pressroom.build import lint


def test_the_live_content_passes_lint_and_builds(tmp_path):
    out = io.StringIO()
    assert lint.run(out=out, path=str(LIVE_CONTENT)) == 0, out.getvalue()
    assert out.getvalue().strip() == "Contenu vérifié : aucun problème."
    built = build_site(LIVE_CONTENT, tmp_path / "output", search_index=False)
    assert built.status == 0, built.messages
    assert (built.output / "index.html").is_file()  # the officers' drafts may be there: no count of pages
