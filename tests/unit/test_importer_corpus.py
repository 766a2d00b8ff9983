"""The importer on 33 articles it was not written for (tests/fixtures/corpus, in the shapes of
11 West-African sites; see SITES.md): facts right or honestly left empty, and wrong ones."""

import pathlib

import pytest
from conftest import FIXTURE_SITE

from pressroom.tools.importer.evaluation import HONEST, RIGHT, WRONG, evaluate, judge, read_expected

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TABLE = CORPUS / "expected.csv"
REGISTRY = FIXTURE_SITE / "institutions.yml"
RIGHT_OR_HONEST_MIN = 0.90
WRONG_MAX = 0.02


def test_corpus_is_large_and_varied_enough():
    rows = read_expected(TABLE)
    assert len(rows) >= 30
    assert len({row["file"].rsplit("-", 1)[0] for row in rows}) >= 10
    assert sum(row["heldout"] == "yes" for row in rows) >= len(rows) // 3
    assert sorted(row["file"] for row in rows) == sorted(
        p.name for p in CORPUS.iterdir() if p.suffix != ".md" and p.name != "expected.csv"
    )


@pytest.mark.parametrize("heldout", [False, True], ids=["tuning", "held-out"])
def test_corpus_facts_meet_the_target(heldout):
    score = evaluate(CORPUS, TABLE, REGISTRY, heldout=heldout)
    misses = "\n".join(map(str, score.misses))
    assert score.share(RIGHT, HONEST) >= RIGHT_OR_HONEST_MIN, misses
    assert score.share(WRONG) <= WRONG_MAX, misses


def test_judging_rules():
    assert judge("date", "2024-10-08", "2024-10-08", "") == RIGHT
    assert judge("date", "", "", "") == RIGHT
    assert judge("date", "", "2024-10-08", "") == WRONG  # a date invented is worse than none
    assert judge("date", "2024-10-08", "", "  À vérifier : date de publication absente") == HONEST
    assert judge("author", "Ndèye Fatou Seck", "NDEYE FATOU SECK", "") == RIGHT
    assert judge("institutions", "CMSS;UNTM", "UNTM, CMSS", "") == RIGHT
    assert judge("institutions", "CMSS;UNTM", "CMSS", "") == WRONG
