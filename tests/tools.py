"""External checkers used by the tests: the Nu HTML validator (vnu-jar, Java)
and headless Chromium. `.ci/run` installs them; elsewhere a test that needs a
missing one is skipped with the reason, except under CI where it fails."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DECAP_JS = ROOT / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"


def require(condition, what):
    """Skip (or, under CI, fail) when a checker is not installed."""
    if condition:
        return
    message = f"{what} absent : lancez `bash .ci/run` ou installez-le (voir README)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def validate_html(paths):
    """Nu validator errors for the given HTML files, as 'file:line: message' strings."""
    require(shutil.which("java") and VNU_JAR.exists(), "le validateur HTML (java + npm ci)")
    paths = [str(p) for p in paths]
    if not paths:
        return []
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return [f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', 0)}: {m['message']}" for m in messages]


def chromium():
    """Path of the headless browser."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require(path, "Chromium (apt-get install chromium)")
    return path


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
