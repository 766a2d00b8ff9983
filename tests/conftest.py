"""Fixtures: build the tests' own site (tests/fixtures/site, with our settings, plugins and theme) into
temporary folders. The live content/ is the editors' and is only checked by tests/site/test_live_content.py."""

import hashlib
import io
import pathlib
import shutil
import weakref

import blinker
import pytest
from bs4 import BeautifulSoup

from pressroom.build import site

ROOT = pathlib.Path(__file__).resolve().parent.parent

FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
LIVE_CONTENT = ROOT / "content"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


class Built:
    """The result of one build: exit status, messages, and the output folder."""

    def __init__(self, status, messages, output):
        self.status, self.messages, self.output = status, messages, pathlib.Path(output)

    def soup(self, relative):
        path = self.output / relative
        if path.is_dir():
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def html_files(self):
        return sorted(self.output.rglob("*.html"))


def reset_signal_receivers():
    """Disconnect every receiver from Pelican's signals (blinker's default namespace), so that a build in
    this process runs only the plugins it lists, not also those an earlier build connected. Cheaper than a
    build in a new interpreter, which pays about a second of imports each time."""
    for signal in blinker.default_namespace.values():
        for receiver in list(signal.receivers.values()):
            signal.disconnect(receiver() if isinstance(receiver, weakref.ref) else receiver)


@pytest.fixture(autouse=True)
def isolated_signals():
    """Each test starts with no receiver connected to Pelican's signals."""
    reset_signal_receivers()


def build_site(content, output, settings_file="pelicanconf.py", **overrides):
    reset_signal_receivers()
    messages = io.StringIO()
    status = site.build(
        settings_file,
        out=messages,
        path=str(content),
        output_path=str(output),
        cache_path=str(pathlib.Path(output).parent / "cache"),
        **overrides,
    )
    return Built(status, messages.getvalue(), output)


def run_lint(content):
    """`invoke lint` on ``content``: its exit status and what it printed."""
    from pressroom.build import lint

    out = io.StringIO()
    return lint.run(out=out, path=str(content)), out.getvalue()


def tree_digest(folder):
    """One digest of every file's path and bytes under ``folder``: equal when nothing was written or removed."""
    digest = hashlib.sha256()
    for path in sorted(pathlib.Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def lint_and_build(content):
    """`invoke lint`'s status and lines, then a quick build (no search index, no .gz, one process)
    of ``content`` beside it, which never shows a traceback."""
    from pressroom.build import lint

    out = io.StringIO()
    status = lint.run(out=out, path=str(content))
    output = pathlib.Path(content).parent / "output"
    built = build_site(content, output, search_index=False, gzip_copies=False, parallel_read_processes=1)
    assert "Traceback" not in built.messages and "erreur inattendue" not in built.messages, built.messages
    assert built.status in (0, 2), built.messages
    return status, out.getvalue(), built


def copy_content(destination):
    shutil.copytree(FIXTURE_SITE, destination)
    return pathlib.Path(destination)


def write_article(content, relative, text):
    path = pathlib.Path(content) / "articles" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    built = build_site(FIXTURE_SITE, base / "output")
    assert built.status == 0, built.messages
    return built


@pytest.fixture(scope="session")
def published_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("published")
    built = build_site(
        FIXTURE_SITE,
        base / "output",
        "publishconf.py",
        siteurl="https://presse.example.org",
        feed_domain="https://presse.example.org",
    )
    assert built.status == 0, built.messages
    return built


@pytest.fixture
def content_copy(tmp_path):
    return copy_content(tmp_path / "content")


@pytest.fixture
def build(tmp_path):
    """Build a given content folder into a fresh output folder."""
    counter = iter(range(100))

    def _build(content, **overrides):
        return build_site(content, tmp_path / f"output{next(counter)}", **overrides)

    return _build


@pytest.fixture(scope="session")
def served_site(built_site):
    """Base URL of the built site served over HTTP on 127.0.0.1 (browser tests)."""
    from browser_tools import serve

    with serve(built_site.output) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Playwright on the system browser) for the whole session."""
    from browser_tools import headless_chromium

    with headless_chromium() as opened:
        yield opened
