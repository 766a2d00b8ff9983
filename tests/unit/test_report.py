"""The one error reporter: every command's failure is French lines and an exit status, never a traceback."""

import io

import jinja2
import pytest
from pelican.writers import FileOverwriteFailedError

from pressroom.build import report
from pressroom.build.treelock import TreeBusy
from pressroom.content.problems import ContentError, Problem
from pressroom.content.registry import RegistryError
from pressroom.settings import SettingsError

TWICE = Problem("b.md", "Title", "titre manquant", "ajoutez une ligne Title:", 1)
FIRST = Problem("a.md", "Date", "date impossible « 31 février 2024 »", "", 3)


def reported(error, headline="La construction a échoué", **settings):
    out = io.StringIO()
    status = report.failure(error, out, headline, settings or None)
    return status, out.getvalue()


def test_content_problems_are_counted_sorted_and_given_once():
    status, text = reported(ContentError([TWICE, FIRST, TWICE]))
    assert status == 2
    assert text.splitlines() == [
        "La construction a échoué : 2 problème(s) dans le contenu.",
        "a.md:3: Date: date impossible « 31 février 2024 »",
        "b.md:1: Title: titre manquant — ajoutez une ligne Title:",
    ]


@pytest.mark.parametrize(
    ("error", "status", "first_line"),
    [
        (
            RegistryError(["institutions.yml:4: sigle manquant"]),
            2,
            "Vérification impossible : 1 problème(s) dans le registre des institutions.",
        ),
        (SettingsError(["TIMEZONE : fuseau inconnu"]), 2, "Vérification impossible. Réglages incorrects"),
        (TreeBusy("« invoke build » tient le dossier"), 4, "Vérification impossible : « invoke build » tient"),
        (FileOverwriteFailedError("output/a.html"), 2, "Vérification impossible : deux pages s'écriraient"),
    ],
)
def test_each_kind_of_failure_has_its_french_line_and_status(error, status, first_line):
    got_status, text = reported(error, "Vérification impossible")
    assert got_status == status
    assert text.startswith(first_line)
    assert "Traceback" not in text


def test_an_unforeseen_error_is_one_line_and_its_traceback_goes_to_a_log(tmp_path):
    try:
        {}["absent"]
    except KeyError as error:
        status, text = reported(error, CACHE_PATH=str(tmp_path))
    assert status == 3
    assert text.startswith("La construction a échoué : erreur inattendue (KeyError) — rien n'a été publié")
    assert "Traceback" not in text
    assert "KeyError" in (tmp_path / "erreur-construction.log").read_text(encoding="utf-8")


def test_a_local_whose_attributes_all_raise_names_no_source():
    undefined = jinja2.StrictUndefined(name="fields")

    def render(article):
        raise RuntimeError("gabarit")

    with pytest.raises(RuntimeError) as caught:
        render(undefined)
    assert report.source_in_traceback(caught.value) is None
