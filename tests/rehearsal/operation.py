"""One institution's operation, with real parts: a bare git repository plays the
forge, a folder served by Debian's nginx plays the server, aiosmtpd (STARTTLS and
login, tests/smtp_sink.py) plays the list server. A pipeline is a fresh clone of
the forge at the commit it was triggered for, running the steps the GitHub
workflow names (read from .github/workflows/site.yml), with this repository's
virtualenv; the scheduled runs may be told another time (Debian's faketime). Fakes of
Telegram, Mastodon and Bluesky on 127.0.0.1 (tests/network_fakes.py) play the networks."""

import dataclasses
import http.client
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

import yaml
from tools import ROOT

SITEURL = "https://presse.example.org"
INVOKE = pathlib.Path(sys.prefix) / "bin" / "invoke"
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
OFFICER = ["-c", "user.name=Aminata Sow", "-c", "user.email=aminata@inps.example.ml"]
LISTS = {
    "INPS": {"annonces": "inps-communiques@listes.example.org", "quotidien": "inps-quotidien@listes.example.org"},
    "CMSS": {"annonces": "cmss-communiques@listes.example.org", "quotidien": "cmss-quotidien@listes.example.org"},
}
# The networks of « diffusion » in the rehearsal's registry: INPS on all three, CMSS on Telegram only.
CHANNELS = {
    "INPS": {"telegram": "@inps_mali", "mastodon": "https://social.example.org/@inps", "bluesky": "inps.example.ml"},
    "CMSS": {"telegram": "-1001234567890"},
}
TELEGRAM_TOKEN, MASTODON_TOKEN, BLUESKY_PASSWORD = "123456:jeton-repetition", "jeton-mastodon", "mot-de-passe-app"
JOB_TIMEOUT = 600


def workflow_steps(kind):
    """[(job, invoke arguments)] of the publication, addresses, alert and network jobs, in order: what the
    forge runs. ``kind``: "push", "schedule" or "digest" (the 06:00 schedule)."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    steps = []
    for job in ("publish", "adresses", "alertes", "diffusion"):
        for step in jobs[job]["steps"]:
            line = step.get("run", "").strip().splitlines()[-1] if step.get("run") else ""
            if "0 6 * * *" in step.get("if", "") and kind != "digest":
                continue
            if line == "make publish":
                steps.append((job, ["publish"]))
            elif line.startswith(".venv/bin/invoke "):
                steps.append((job, shlex.split(line)[1:]))
    return steps


@dataclasses.dataclass
class Step:
    job: str
    arguments: list
    status: int
    output: str


@dataclasses.dataclass
class Pipeline:
    steps: list

    def status(self, task):
        return next(step.status for step in self.steps if step.arguments[0] == task)

    def output(self, task=None):
        return "\n".join(step.output for step in self.steps if task is None or step.arguments[0] == task)

    @property
    def ran(self):
        return [" ".join(step.arguments) for step in self.steps]


class Operation:
    def __init__(self, folder, sink, web, networks=None):
        self.folder, self.sink, self.web, self.networks = pathlib.Path(folder), sink, web, networks
        self.forge = self.folder / "forge.git"
        self.desk = self.folder / "redaction"  # the officer's clone
        self.server = self.folder / "serveur" / "site"
        self.jobs = 0

    # --- the forge ---------------------------------------------------------

    def create(self, content):
        """The project as it is in this working tree, with ``content``, pushed to a new bare forge."""
        subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(self.forge)], check=True)
        tracked = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True
        ).stdout.split(b"\0")
        for name in filter(None, (t.decode() for t in tracked)):
            if name.startswith("content/") or not (ROOT / name).is_file():
                continue
            target = self.desk / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target)
        shutil.copytree(content, self.desk / "content")
        self.git("init", "--quiet", "--initial-branch=main")
        self.git("remote", "add", "origin", str(self.forge))
        self.commit("Site de communiqués")

    def git(self, *args, cwd=None):
        result = subprocess.run(
            ["git", *OFFICER, "-C", str(cwd or self.desk), *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def commit(self, message, files=None, remove=()):
        """The officer saves files (relative path -> text or bytes) and pushes; returns the commit."""
        self.git("pull", "--quiet", "--rebase", "origin", "main") if self.jobs else None
        for relative, data in (files or {}).items():
            path = self.desk / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        for relative in remove:
            (self.desk / relative).unlink()
        self.git("add", "--all")
        self.git("commit", "--quiet", "-m", message)
        self.git("push", "--quiet", "origin", "HEAD:main")
        return self.head()

    def head(self):
        return self.git("rev-parse", "HEAD").strip()

    def refuse_pushes(self, refused=True):
        """A protected branch: the forge refuses every push (a pre-receive hook)."""
        hook = self.forge / "hooks" / "pre-receive"
        if refused:
            hook.write_text("#!/bin/sh\necho 'branche protégée' >&2\nexit 1\n", encoding="utf-8")
            hook.chmod(0o755)
        elif hook.exists():
            hook.unlink()

    # --- a pipeline --------------------------------------------------------

    def environment(self, clone, **extra):
        ours = ("ALERTES_", "PUBLISH", "TELEGRAM_", "MASTODON_", "BLUESKY_")
        environ = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
        environ.update(self.sink.environ())
        environ.update(self.network_environ())
        environ.update(
            PYTHONPATH=str(clone),
            PUBLISH_DEST=str(self.server) + "/",
            SITEURL=SITEURL,
            PRESSROOM_ATTENTE="120",
            GIT_AUTHOR_NAME="Publication automatique",
            GIT_COMMITTER_NAME="Publication automatique",
            GIT_AUTHOR_EMAIL="publication@pressroom.invalid",
            GIT_COMMITTER_EMAIL="publication@pressroom.invalid",
        )
        environ.update(extra)
        return environ

    def network_environ(self):
        """The forge's secrets of the networks, pointing at the fakes."""
        if self.networks is None:
            return {}
        telegram, mastodon, sky = self.networks
        return {
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_URL": telegram.url,
            "MASTODON_TOKEN_INPS": MASTODON_TOKEN,
            "MASTODON_API_URL_INPS": mastodon.url,
            "BLUESKY_PDS_URL": sky.url,
            "BLUESKY_APP_PASSWORD_INPS": BLUESKY_PASSWORD,
        }

    def posts(self):
        """(Telegram, Mastodon, Bluesky): how many posts each fake network received."""
        telegram, mastodon, sky = self.networks
        return len(telegram.posts), len(mastodon.statuses), len(sky.records)

    def checkout(self, commit=None):
        self.jobs += 1
        clone = self.folder / f"job-{self.jobs}"
        subprocess.run(["git", "clone", "--quiet", str(self.forge), str(clone)], check=True)
        if commit:
            subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", commit], check=True)
        return clone

    def command(self, clone, arguments, now=None, **extra):
        """The Popen arguments of one task in ``clone`` (at ``now``, if given, through faketime)."""
        argv = [str(INVOKE), *arguments]
        if now is not None:
            argv = ["faketime", now.strftime("%Y-%m-%d %H:%M:%S"), *argv]
        return {"args": argv, "cwd": clone, "env": self.environment(clone, **extra)}

    def task(self, clone, arguments, now=None, **extra):
        result = subprocess.run(
            **self.command(clone, arguments, now, **extra), capture_output=True, text=True, timeout=JOB_TIMEOUT
        )
        return Step("", arguments, result.returncode, result.stdout + result.stderr)

    def pipeline(self, kind="push", commit=None, now=None, clone=None, **extra):
        """The forge's run: the lint (push only), then the publication job, then, if it published, the
        addresses, alert and network jobs, each step stopping its job on failure as the forge does."""
        clone = clone or self.checkout(commit)
        steps = []
        if kind == "push":
            steps.append(self.task(clone, ["lint"], now, **extra))
            if steps[-1].status:
                return Pipeline(steps)
        failed = set()
        for job, arguments in workflow_steps(kind):
            if job in failed or (job != "publish" and "publish" in failed):  # both need the publication
                continue
            step = self.task(clone, arguments, now, **extra)
            step.job = job
            steps.append(step)
            if step.status:
                failed.add(job)
        return Pipeline(steps)

    # --- the server ----------------------------------------------------------

    def get(self, path):
        connection = http.client.HTTPConnection(*self.web, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def base_url(self):
        return f"http://{self.web[0]}:{self.web[1]}/"
