"""deploy/nginx.conf as it is, run by Debian's nginx over the built site on a free
127.0.0.1 port: .gz copies sent when gzip is accepted, the right types, cache lifetimes
and security headers, our 404 page; and, in Chromium, search works under that
Content-Security-Policy with no violation reported."""

import contextlib
import http.client
import re
import shutil
import socket
import subprocess
import time

import pytest
from browser_tools import visit
from tools import ROOT, require

pytestmark = pytest.mark.browser

SITE_CONF = ROOT / "deploy" / "nginx.conf"
SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_conf(site, port, prefix):
    """The shipped server block with only `listen` and `root` changed, in a minimal main file
    whose every path is under ``prefix`` (no root rights needed)."""
    server = SITE_CONF.read_text(encoding="utf-8")
    server, listens = re.subn(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{port};", server, flags=re.M)
    server = re.sub(r"^\s*listen \[::\]:80;$\n", "", server, flags=re.M)
    server, roots = re.subn(r"^(\s*)root [^;]+;$", rf"\1root {site};", server, flags=re.M)
    assert (listens, roots) == (1, 1), "deploy/nginx.conf : lignes listen/root introuvables"
    temp = "\n".join(
        f"  {kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"daemon off;\nmaster_process off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n{temp}\n{server}\n}}\n"
    )


@contextlib.contextmanager
def nginx(site, prefix):
    """nginx serving ``site``; yields (host, port)."""
    binary = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    require(binary, "nginx (apt-get install nginx)")
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_conf(site, port, prefix), encoding="utf-8")
    checked = subprocess.run(
        [binary, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=10):
                break
            time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def web_server(built_site, tmp_path_factory):
    with nginx(built_site.output, tmp_path_factory.mktemp("nginx")) as address:
        yield address


def get(address, path, **headers):
    connection = http.client.HTTPConnection(*address, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def test_gzip_copy_is_sent_when_asked_for(web_server):
    response, body = get(web_server, "/", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert body[:2] == b"\x1f\x8b"
    assert "Accept-Encoding" in response.getheader("Vary")
    plain, body = get(web_server, "/")
    assert plain.getheader("Content-Encoding") is None
    assert b"<!doctype html>" in body.lower()


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/", "text/html; charset=utf-8"),
        ("/calendrier/tout.ics", "text/calendar; charset=utf-8"),
        ("/feeds/tout.atom.xml", "application/atom+xml; charset=utf-8"),
        ("/feeds/tout.rss.xml", "application/rss+xml; charset=utf-8"),
        ("/theme/css/site.css", "text/css; charset=utf-8"),
    ],
)
def test_types(web_server, path, content_type):
    response, _ = get(web_server, path)
    assert response.status == 200
    assert response.getheader("Content-Type") == content_type


def test_pagefind_files_have_types_and_fingerprinted_ones_a_long_life(web_server, built_site):
    fragment = next((built_site.output / "pagefind" / "2019" / "fragment").iterdir())
    response, _ = get(web_server, f"/pagefind/2019/fragment/{fragment.name}")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/octet-stream"
    assert "immutable" in response.getheader("Cache-Control")
    page, _ = get(web_server, "/")
    assert page.getheader("Cache-Control") == "public, max-age=300"
    meta = next((built_site.output / "pagefind" / "2019").glob("pagefind.*.pf_meta"))
    assert "immutable" in get(web_server, f"/pagefind/2019/{meta.name}")[0].getheader("Cache-Control")
    entry, _ = get(web_server, "/pagefind/2019/pagefind-entry.json")
    assert "immutable" not in entry.getheader("Cache-Control")


@pytest.mark.parametrize("path", ["/", "/adresse-inexistante/"])
def test_security_headers_on_pages_and_errors(web_server, path):
    response, _ = get(web_server, path)
    for header in SECURITY_HEADERS:
        assert response.getheader(header), header
    policy = response.getheader("Content-Security-Policy")
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_unknown_address_gets_our_404_page(web_server):
    response, body = get(web_server, "/adresse-inexistante/")
    assert response.status == 404
    assert "Page introuvable" in body.decode("utf-8")


def test_search_returns_results_under_the_policy_with_no_violation(browser, web_server):
    base_url = "http://{}:{}/".format(*web_server)
    violations = []
    with visit(browser, base_url, "") as opened:
        page = opened.page
        page.on(
            "console", lambda message: "Content Security Policy" in message.text and violations.append(message.text)
        )
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        opened.open("recherche/?q=formation")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        assert page.query_selector_all(".pagefind-ui__result-link")
        violations += page.evaluate("window.__violations")
    assert violations == []


def test_lite_page_is_sent_gzipped_within_budget_and_its_inline_css_applies(browser, web_server):
    response, body = get(
        web_server, "/lite/2024/10/cmss-untm-formation-relations-professionnelles/", **{"Accept-Encoding": "gzip"}
    )
    assert response.getheader("Content-Encoding") == "gzip" and len(body) <= 14600
    base_url = "http://{}:{}/".format(*web_server)
    with visit(browser, base_url, "") as opened:
        page = opened.page
        page.add_init_script(
            "window.__violations = [];"
            "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
        )
        opened.open("lite/")
        assert page.evaluate("getComputedStyle(document.body).maxWidth") != "none"  # the hash let it apply
        assert page.evaluate("window.__violations") == []


def test_the_offline_worker_is_always_checked_again(web_server):
    response, body = get(web_server, "/sw.js")
    assert response.status == 200 and b"const VERSION" in body
    assert response.getheader("Cache-Control") == "no-cache"
    assert response.getheader("Content-Type").startswith("application/javascript")


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_a_page_asked_again_unchanged_is_not_sent_again(web_server, encoding):
    """The ETag comes from the file's date and size: a publication keeps the date of a file it sends
    unchanged (tests/site/test_publish.py), so a phone that asks again pays for headers only."""
    first, body = get(web_server, "/", **{"Accept-Encoding": encoding})
    assert first.status == 200 and body and first.getheader("ETag")
    again, body = get(web_server, "/", **{"Accept-Encoding": encoding, "If-None-Match": first.getheader("ETag")})
    assert again.status == 304 and body == b""
    other, body = get(web_server, "/", **{"Accept-Encoding": encoding, "If-None-Match": '"autre"'})
    assert other.status == 200 and body
