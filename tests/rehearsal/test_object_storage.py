"""The day's site, as the forge publishes it, sent to object storage instead of the server: the
same `invoke publish` task in a clone of the forge, PUBLISH_BUCKET pointing at `rclone serve s3` on
127.0.0.1 (tests/s3_store.py), then the home page read back from the bucket and compared with the
one nginx serves."""

import pytest
from bs4 import BeautifulSoup
from s3_store import s3_store
from stage import operation, sink  # noqa: F401 - fixtures

pytestmark = pytest.mark.rehearsal


def article_links(html):
    return sorted(a["href"] for a in BeautifulSoup(html, "html.parser").select("main a[href]"))


def test_the_site_published_to_object_storage_reads_back_as_the_server_s(operation, tmp_path):
    with s3_store(tmp_path / "stockage") as store:
        step = operation.task(operation.checkout(), ["publish", "--init"], PUBLISH_DEST="", **store.environ)
        assert step.status == 0, step.output
        assert "Site publié vers seau:communiques/site" in step.output
        home = store.rclone("cat", "{}/index.html")
    status, served = operation.get("/")
    assert status == 200
    assert article_links(home) and article_links(home) == article_links(served)
