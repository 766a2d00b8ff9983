"""A site grown too large for one job, built as the operations guide tells the forge to: one job
per range of years and one for the common pages, each in a clone of its own (a runner of its own),
their parts brought to the publication job as artifacts, then `invoke publish --parties`. The pages
nginx serves afterwards are those of the site the day began with, published whole."""

import re
import shutil

import pytest
from stage import operation, sink  # noqa: F401 - fixtures

from pressroom.build import parts

pytestmark = pytest.mark.rehearsal

PARTS = ("2000-2018", "2019-2099", "communes")
PAGES = ["/", "/lite/", "/agenda/", "/institutions/", "/feeds/tout.atom.xml", "/sitemap.xml", "/sw.js"]


def test_a_site_built_by_year_jobs_is_published_as_the_whole_one(operation):
    status, home = operation.get("/")
    assert status == 200
    releases = sorted(set(re.findall(r'href="[^"]*?/(20\d\d/\d\d/[^"/]+/)"', home)))
    assert releases
    pages = PAGES + [f"/{release}" for release in releases[:3]] + [f"/lite/{releases[0]}"]
    before = {page: operation.get(page) for page in pages}

    publication = operation.checkout()
    for part in PARTS:
        job = operation.checkout()
        step = operation.task(job, ["build", "--annees", part, "--production"])
        assert step.status == 0, step.output
        name = parts.parse(part).name
        shutil.copytree(job / "parties" / name, publication / "parties" / name)  # the job's artifact
    step = operation.task(publication, ["publish", "--parties"])
    assert step.status == 0, step.output
    assert "Site publié vers" in step.output

    after = {page: operation.get(page) for page in pages}
    assert [page for page in pages if after[page] != before[page]] == []
    assert all(status == 200 for status, _ in after.values())
