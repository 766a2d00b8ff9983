"""Our settings are checked when they are read: a wrong type or value is one French line naming the
setting, and every command stops with status 2 and no traceback (build and lint alike)."""

import io
import subprocess
import sys

import pytest
from conftest import ROOT

from pressroom.build import lint, site
from pressroom.settings import DEFAULTS, SettingsError, check


def test_the_default_settings_and_both_configuration_files_pass():
    assert check(DEFAULTS) == []
    for settings_file in ("pelicanconf.py", "publishconf.py"):
        assert check(site.load_settings(settings_file)) == []


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TIMEZONE", "Africa/Bamakoo", "fuseau horaire inconnu"),
        ("BABEL_LOCALE", "xx_YY_ZZ", "langue inconnue de Babel"),
        ("GZIP_COPIES", 1, "True ou False attendu"),
        ("LITE_BUDGET_BYTES", "14k", "un nombre entier attendu"),
        ("TAGS_MAX", -1, "un nombre positif ou nul attendu"),
        ("PRESS_CONTACT_DEFAULT", "presse@exemple.ml", "un dictionnaire"),
        ("GZIP_COPIES_TEXT_EXTENSIONS", ".html", "une liste"),
        ("INSTITUTIONS_URL", "/institutions/", "chemin relatif attendu"),
        ("EVENTS_ICS_ALL", "../calendrier.ics", "chemin relatif attendu"),
        ("TYPOGRIFY", True, "typogrify n'est pas utilisé"),
    ],
)
def test_a_wrong_setting_is_one_french_line_naming_it(name, value, expected):
    problems = check({name: value})
    assert len(problems) == 1
    assert problems[0].startswith(f"réglage {name} = {value!r} : {expected}")


def test_build_and_lint_stop_on_a_wrong_setting_with_status_2(tmp_path):
    out = io.StringIO()
    assert site.build("pelicanconf.py", out=out, output_path=str(tmp_path / "output"), timezone="Mars/Olympus") == 2
    assert "réglage TIMEZONE = 'Mars/Olympus' : fuseau horaire inconnu" in out.getvalue()
    assert not (tmp_path / "output").exists()
    out = io.StringIO()
    assert lint.run("pelicanconf.py", out=out, timezone="Mars/Olympus") == 2
    assert "réglage TIMEZONE = 'Mars/Olympus' : fuseau horaire inconnu" in out.getvalue()


def test_any_command_that_reads_wrong_settings_stops_in_french_without_a_traceback(tmp_path):
    """invoke new, publish, alertes… read the settings through site.load_settings: the error is a SystemExit."""
    with pytest.raises(SettingsError):
        site.load_settings("pelicanconf.py", tags_max="vingt")
    code = "from pressroom.build import site; site.load_settings('pelicanconf.py', tags_max='vingt')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode != 0
    assert "réglage TAGS_MAX = 'vingt' : un nombre entier attendu" in result.stderr
    assert "Traceback" not in result.stderr
