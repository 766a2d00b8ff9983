"""The operations guide (docs/exploitation.md) says what the workflow files do: the
same schedules, the same variables, the same steps."""

import re

import yaml
from tools import ROOT

GUIDE = ROOT / "docs" / "exploitation.md"
GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
VARIABLE = re.compile(
    r"\b(?:ALERTES|SSH|PUBLISH|PUSH|TELEGRAM|MASTODON|BLUESKY|RCLONE)_[A-Z_]+(?:<SIGLE>)?|\bSITEURL\b"
)
PER_INSTITUTION = re.compile(r"\b((?:MASTODON_TOKEN|MASTODON_API_URL|BLUESKY_APP_PASSWORD)_)[A-Z_]+")


def guide():
    return GUIDE.read_text(encoding="utf-8")


def variables_table(text):
    """The variables named in the first column of the guide's « Secrets et variables » table."""
    section = text.split("## Secrets et variables", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in VARIABLE.findall(row)}


def test_the_schedules_of_the_guide_are_the_workflow_s():
    crons = {entry["cron"] for entry in yaml.safe_load(GITHUB.read_text(encoding="utf-8"))[True]["schedule"]}
    assert crons == {"*/15 * * * *", "0 6 * * *"}
    written = set(re.findall(r"`([0-9*/]+ [0-9*/]+ \* \* \*)`", guide()))
    assert written == crons
    assert "*/15 * * * *" in GITLAB.read_text(encoding="utf-8")


def test_the_variables_of_the_guide_are_the_workflows_variables():
    github = {
        PER_INSTITUTION.sub(r"\1<SIGLE>", name)  # MASTODON_TOKEN_CMSS: the guide names the pattern
        for name in re.findall(r"secrets\.([A-Z_]+)", GITHUB.read_text(encoding="utf-8"))
    }
    gitlab_text = GITLAB.read_text(encoding="utf-8")
    gitlab = {PER_INSTITUTION.sub(r"\1<SIGLE>", name) for name in VARIABLE.findall(gitlab_text)} - {"PUBLISH_DEST_"}
    assert variables_table(guide()) == github | gitlab


def test_the_steps_of_the_guide_are_the_workflow_s():
    jobs = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"]
    commands = {
        step["run"].strip().splitlines()[-1].removeprefix(".venv/bin/")
        for name in ("publish", "adresses", "alertes", "diffusion")
        for step in jobs[name]["steps"]
        if "invoke" in step.get("run", "") or step.get("run") == "make publish"
    }
    table = guide().split("## Les étapes, dans l'ordre", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\| `((?:make|invoke) [^`]+)` \|", table))
    assert commands == named
