"""Every hostile case of tests/hostile_cases.py is refused by `invoke lint` and by the build alike: its
French line from each, a non-zero exit, no traceback, and the previous site left as it was. The cases of
one batch share one build (the gate reports every problem in one run)."""

import shutil

import pytest
from conftest import FIXTURE_SITE, build_site, run_lint, tree_digest
from hostile_cases import BROKEN_ARTICLES, CASES, COVERED, folder_names


class Batch:
    """What lint and the build said of one batch of cases, and whether the previous site stayed whole."""

    def __init__(self, cases, output, tmp):
        content = tmp / "content"
        shutil.copytree(FIXTURE_SITE, content, symlinks=True)
        for case in cases:
            case.setup(content, tmp)
        before = tree_digest(output)
        self.built = build_site(content, output)
        self.lint_status, self.lint_messages = run_lint(content)
        self.output_intact = tree_digest(output) == before
        self.tmp = tmp


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    """The batch of a case, built once, over the tests' site built once."""
    base = tmp_path_factory.mktemp("hostile")
    good = build_site(FIXTURE_SITE, base / "output")
    assert good.status == 0, good.messages
    done = {}

    def batch_of(case):
        if case.batch not in done:
            cases = [other for other in CASES if other.batch == case.batch]
            done[case.batch] = Batch(cases, good.output, tmp_path_factory.mktemp("batch"))
        return done[case.batch]

    return batch_of


@pytest.mark.parametrize(("folder", "pattern"), COVERED)
def test_every_hostile_file_has_its_expected_line(folder, pattern):
    assert folder_names(folder, pattern) == sorted(COVERED[folder, pattern])


@pytest.mark.parametrize(
    "case", CASES, ids=lambda case: case.name if case.batch == case.name else f"{case.batch}:{case.name}"
)
def test_hostile_case_is_refused_by_lint_and_build_alike(batches, case):
    batch = batches(case)
    expected = case.expected.format(tmp=batch.tmp)
    assert batch.built.status != 0 and batch.lint_status != 0
    assert expected in batch.built.messages, batch.built.messages
    assert expected in batch.lint_messages, batch.lint_messages
    assert "Traceback" not in batch.built.messages + batch.lint_messages
    assert "erreur inattendue" not in batch.built.messages
    assert batch.output_intact  # nothing overwritten, nothing removed


def test_lint_gives_one_line_per_problem(batches):
    """All the header problems of tests/broken/ at once: one line each, none repeated."""
    batch = batches(next(case for case in CASES if case.batch == "articles"))
    problem_lines = [line for line in batch.lint_messages.splitlines() if line.startswith("articles/")]
    assert len(problem_lines) == len(BROKEN_ARTICLES) + 1  # two spellings of a tag in theme-mal-orthographie.md
