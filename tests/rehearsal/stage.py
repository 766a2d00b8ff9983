"""The rehearsal's stage, as fixtures that its test modules import (not a
conftest.py: its name would shadow tests/conftest.py for the site tests that
import from it): one list server for the module, and for each test a forge, a
server folder under nginx and fakes of the three networks, installed as an
operator does once (first publication with --init, alert and network state with --init)."""

import shutil

import pytest
from browser.test_nginx import nginx
from network_fakes import FakeBluesky, FakeMastodon, FakeTelegram, running
from operation import BLUESKY_PASSWORD, MASTODON_TOKEN, TELEGRAM_TOKEN, Operation
from parts import content_with_lists
from smtp_sink import smtp_sink


def require_faketime():
    if not shutil.which("faketime"):
        pytest.fail("faketime absent : apt-get install faketime (bash .ci/run l'installe)")


@pytest.fixture(scope="module")
def sink(tmp_path_factory):
    with smtp_sink(tmp_path_factory.mktemp("listes")) as running:
        running.handler.hold_unapproved = True  # as the lists' Mailman does
        yield running


@pytest.fixture
def operation(tmp_path, sink):
    require_faketime()
    sink.reset()
    networks = (
        FakeTelegram(TELEGRAM_TOKEN),
        FakeMastodon(MASTODON_TOKEN),
        FakeBluesky("inps.example.ml", BLUESKY_PASSWORD),
    )
    operation = Operation(tmp_path, sink, None, networks)
    operation.server.mkdir(parents=True)
    operation.create(content_with_lists(tmp_path / "contenu"))
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    with nginx(operation.server, prefix) as web, running(*networks):
        operation.web = web
        clone = operation.checkout()
        for arguments in (["publish", "--init"], ["adresses"], ["alertes", "--init"], ["diffusion", "--init"]):
            step = operation.task(clone, arguments)
            assert step.status == 0, step.output
        assert sink.messages == [] and sink.held == [] and operation.posts() == (0, 0, 0)
        yield operation
