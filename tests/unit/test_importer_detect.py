"""The kinds of facts issue #17 found missed on real sites, one by one."""

import datetime

import pytest

from pressroom.tools.importer import detect, escaping
from pressroom.tools.importer.cleaning import signature_parts
from pressroom.tools.importer.folding import fold


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Publié le 18 Sep 2017 - 19:28", (2017, 9, 18)),
        ("Publié le 8 Janvier 2026", (2026, 1, 8)),
        ("Société | 30 avril 2025", (2025, 4, 30)),
        ("Publié le mercredi 6 avril 2022 à 18h20min", (2022, 4, 6)),
        ("Publié le 30/04/2025 à 10:15", (2025, 4, 30)),
    ],
)
def test_byline_dates(line, expected):
    assert detect.date_in_line(line)[0] == datetime.date(*expected)


@pytest.mark.parametrize(
    "line",
    [
        "La CMSS a tenu le 8 octobre 2024 à Bamako la session ordinaire de son conseil d'administration.",
        "Publié le 8 octobre",  # no year: not a publication date
        "CMU : 15 millions de personnes enrôlées à la date du 8 octobre 2024",
    ],
)
def test_sentences_are_not_byline_dates(line):
    assert detect.date_in_line(line) is None


def test_byline_date_is_taken_out_of_the_body():
    found, rest = detect.publication_line(["Titre du site", "Société | 30 avril 2025", "Ce mardi 29 avril 2025, …"])
    assert found.value == datetime.date(2025, 4, 30) and rest == ["Titre du site", "Ce mardi 29 avril 2025, …"]


def test_day_of_the_event_is_not_the_publication_date():
    paragraphs = ["Ce mardi 29 avril 2025, une délégation de l'IPRES a été reçue à Abidjan."]
    assert detect.publication_date(paragraphs) is None
    assert detect.day_named_in_text(paragraphs).evidence == "Ce mardi 29 avril 2025"


@pytest.mark.parametrize(
    "text, day",
    [
        ("Le mercredi 30 septembre 2020, l'ANACMU et l'IPRES ont signé une convention.", (2020, 9, 30)),
        ("a organisé le samedi 15 novembre 2025, à Mopti, une journée de sensibilisation", (2025, 11, 15)),
        ("Ce jeudi, 30 avril 2020, nous avons rencontré les pensionnés", (2020, 4, 30)),
    ],
)
def test_single_day_events(text, day):
    start, end, problem = detect.event_dates(text, 2020)
    assert start.value == end.value == datetime.date(*day) and problem is None


def test_started_without_a_length_leaves_the_end_unknown():
    start, end, _ = detect.event_dates("La mission a débuté le 9 février 2026 à Bamako.", 2026)
    assert start.value == datetime.date(2026, 2, 9) and end is None


@pytest.mark.parametrize(
    "line, name",
    [
        ("Issa DEMBELE (Mopti)", "Issa DEMBELE"),
        ("Souleymane Yahaya(onep)", "Souleymane Yahaya"),
        ("Aminata Bocar SOW, CCOM- RP/CMSS.", "Aminata Bocar SOW"),
    ],
)
def test_signatures_with_a_place_in_brackets(line, name):
    assert signature_parts(line)[0] == name


@pytest.mark.parametrize("line", ["La Rédaction", "Rédaction", "Partager"])
def test_newsroom_is_not_an_author(line):
    assert signature_parts(line) is None


def test_folding_keeps_the_length_and_drops_accents():
    text = "Démarrée ce Mardi 8 Janvier 2026 à Ségou, l’ÉTAT"
    assert fold(text) == "demarree ce mardi 8 janvier 2026 a segou, l’etat"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    "url, kept",
    [
        ("https://www.inps.ml/actualites/1", True),
        ("http://canam.gouv.ml/a", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("https:///sans-hote", False),
        ("https://exemple.ml/a b", False),
    ],
)
def test_only_web_addresses_are_kept(url, kept):
    assert bool(escaping.web_address(url)) is kept


def test_paragraph_escaping_round_trip():
    text = "# 1. <b>gras</b> [lien](javascript:x) {: onclick=y} *a* _b_ `c` & \\ fin"
    escaped = escaping.paragraph(text)
    assert "<" not in escaped and "[" not in escaped.replace("\\[", "")
    assert escaping.plain(escaped) == text
