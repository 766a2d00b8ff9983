"""End to end: `invoke alertes` → SMTP relay (STARTTLS, login) → Mailman 3 → SMTP sink.

Outside the default test run (Mailman needs about 1 GB and ten seconds to
start): run it with `bash deploy/alertes-e2e.sh`, which makes Mailman's own
venv and calls this script with that venv's Python (mailmanclient, aiosmtpd)
and PYTHONPATH=tests (smtp_sink). The site is published and announced with the
project's venv (.venv) through `invoke publish` and `invoke alertes`, as the workflow does.

What it checks: without the moderator password the job refuses to post (Mailman
would hold the post) and nothing reaches the list; with it (Mailman's `Approved:`
header), the release is delivered to the subscriber, without that header, with
the job's Message-ID and Mailman's List-Unsubscribe; mail to the list's -join
address brings a confirmation request. Exit status 0 when all hold.
"""

import argparse
import contextlib
import datetime
import os
import pathlib
import shutil
import smtplib
import subprocess
import sys
import tempfile
import textwrap
import time

import mailmanclient
from aiosmtpd.controller import Controller
from smtp_sink import Handler, free_port, smtp_sink

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROJECT_PYTHON = ROOT / ".venv" / "bin" / "python"
PROJECT_INVOKE = ROOT / ".venv" / "bin" / "invoke"
DOMAIN = "listes.example.org"
LIST = f"inps-communiques@{DOMAIN}"
SUBSCRIBER = "lecteur@example.net"
MODERATOR_PASSWORD = "mot-de-passe-de-moderation"
SITEURL = "https://presse.example.org"
REST_USER, REST_PASSWORD = "restadmin", "restpass"


def mailman_config(folder, lmtp_port, smtp_port, rest_port):
    path = folder / "mailman.cfg"
    path.write_text(
        textwrap.dedent(f"""\
        [mailman]
        site_owner: admin@{DOMAIN}
        layout: e2e
        default_language: fr

        [paths.e2e]
        var_dir: {folder / "var"}

        [mta]
        incoming: mailman.mta.null.NullMTA
        lmtp_host: 127.0.0.1
        lmtp_port: {lmtp_port}
        smtp_host: 127.0.0.1
        smtp_port: {smtp_port}

        [webservice]
        hostname: 127.0.0.1
        port: {rest_port}
        admin_user: {REST_USER}
        admin_pass: {REST_PASSWORD}

        [archiver.prototype]
        enable: no
        """),
        encoding="utf-8",
    )
    return path


def mailman(mailman_bin, config, *arguments, check=True):
    root = ["--run-as-root"] if os.geteuid() == 0 else []  # an option of the command, not of its subcommands
    subprocess.run([str(mailman_bin), "-C", str(config), *root, *arguments], check=check)


def wait_for(what, probe, timeout=120):
    """Poll ``probe`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            result = probe()
            if result:
                return result
        time.sleep(1)
    raise SystemExit(f"ÉCHEC : {what} (rien après {timeout} s)")


@contextlib.contextmanager
def running_mailman(mailman_bin, config, rest_port):
    started = time.monotonic()
    mailman(mailman_bin, config, "start")
    try:
        client = mailmanclient.Client(f"http://127.0.0.1:{rest_port}/3.1", REST_USER, REST_PASSWORD)
        wait_for("API REST de Mailman", lambda: client.system)
        print(f"Mailman prêt en {time.monotonic() - started:.0f} s")
        yield client
    finally:
        mailman(mailman_bin, config, "stop", check=False)
        pid_file = config.parent / "var" / "master.pid"
        deadline = time.monotonic() + 60
        while pid_file.exists() and time.monotonic() < deadline:  # the master removes it once its runners are gone
            time.sleep(0.5)


def announce_list(client):
    """An announce list: only posts carrying the moderator password go out; subject left as the job writes it."""
    domain = client.create_domain(DOMAIN)
    mlist = domain.create_list("inps-communiques", style_name="legacy-announce")
    settings = mlist.settings
    settings["moderator_password"] = MODERATOR_PASSWORD
    settings["subject_prefix"] = ""
    settings["preferred_language"] = "fr"
    settings["default_nonmember_action"] = "hold"
    settings.save()
    mlist.subscribe(SUBSCRIBER, pre_verified=True, pre_confirmed=True, pre_approved=True)
    return mlist


class Newsroom:
    """A copy of the project with INPS's list in the registry, published to a local folder and announced
    with the project's venv through `invoke publish` and `invoke alertes`, as the workflow does."""

    def __init__(self, folder, relay):
        self.folder, self.relay = folder, relay
        self.project = folder / "projet"
        tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True)
        for name in filter(None, tracked.stdout.decode().split("\0")):
            if (ROOT / name).is_file():
                (self.project / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / name, self.project / name)
        self.content = self.project / "content"
        self._invoke_python(  # PyYAML is the project's, not Mailman's
            "import yaml, pathlib; path = pathlib.Path(sys.argv[1]); entries = yaml.safe_load(path.read_text());"
            " entries['INPS']['alertes'] = {'annonces': sys.argv[2], 'inscription': sys.argv[3]};"
            " path.write_text(yaml.safe_dump(entries, allow_unicode=True))",
            self.content / "institutions.yml",
            LIST,
            f"inps-communiques-join@{DOMAIN}",
        )
        self.server = folder / "serveur" / "site"
        self.server.mkdir(parents=True)
        self.published = False

    def write(self, slug, title):
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        (self.content / "articles" / f"{slug}.md").write_text(
            f"Title: {title}\nDate: {today}\nAuthor: Rédaction\nInstitutions: INPS\n"
            f"Category: Communiqué de presse\nSummary: Le chapô de « {title} ».\nSlug: {slug}\nLang: fr\n\n"
            "Le corps du communiqué.\n",
            encoding="utf-8",
        )

    def publish(self):
        self.invoke("publish", *([] if self.published else ["--init"]))
        self.published = True

    def alert(self, approve="", init=False):
        return self.invoke("alertes", *(["--init"] if init else []), environ=self.relay.environ(approve=approve))

    def invoke(self, *arguments, environ=None):
        """One task, as a workflow step runs it; its exit status."""
        env = self._environment(environ)
        return subprocess.run([str(PROJECT_INVOKE), *arguments], cwd=self.project, env=env, check=False).returncode

    def _environment(self, environ):
        env = {key: value for key, value in os.environ.items() if not key.startswith("ALERTES_")}
        env.update(environ or {})
        env.update(PYTHONPATH=str(self.project), PUBLISH_DEST=f"{self.server}/", SITEURL=SITEURL)
        return env

    def _invoke_python(self, code, *arguments):
        env = {**os.environ}
        env.pop("PYTHONPATH", None)
        subprocess.run([str(PROJECT_PYTHON), "-c", "import sys; " + code, *map(str, arguments)], check=True, env=env)


def lmtp_forwarder(port):
    def forward(mail_from, recipients, raw):
        with smtplib.LMTP("127.0.0.1", port) as lmtp:
            lmtp.sendmail(mail_from, recipients, raw)

    return forward


def delivered_to(sink_handler, address, subject_start=""):
    """Messages Mailman sent to ``address`` (the subscriber also gets a welcome message: filter by subject)."""
    return [
        m
        for m, (_, rcpts) in zip(sink_handler.messages, sink_handler.envelopes)
        if address in rcpts and str(m["Subject"]).startswith(subject_start)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mailman", required=True, help="la commande mailman du venv de Mailman")
    parser.add_argument("--keep", action="store_true", help="garde le dossier de travail")
    options = parser.parse_args()
    folder = pathlib.Path(tempfile.mkdtemp(prefix="alertes-e2e-"))
    lmtp_port, smtp_port, rest_port = free_port(), free_port(), free_port()
    config = mailman_config(folder, lmtp_port, smtp_port, rest_port)
    outgoing = Handler()
    sink = Controller(outgoing, hostname="127.0.0.1", port=smtp_port)
    sink.start()
    try:
        with (
            smtp_sink(folder, forward=lmtp_forwarder(lmtp_port)) as relay,
            running_mailman(options.mailman, config, rest_port) as client,
        ):
            mlist = announce_list(client)
            room = Newsroom(folder, relay)
            room.publish()
            if room.alert(init=True) != 0:
                raise SystemExit("ÉCHEC : invoke alertes --init a échoué")

            room.write("avec-mot-de-passe", "Communiqué envoyé avec le mot de passe")
            room.publish()
            if room.alert(approve="") == 0:
                raise SystemExit("ÉCHEC : sans ALERTES_LIST_APPROVE, invoke alertes a réussi (Mailman retiendrait)")
            time.sleep(5)  # leave Mailman time to hold a post, were one sent
            if list(mlist.held) or relay.messages:
                raise SystemExit("ÉCHEC : un message est parti sans le mot de passe de modération")
            print("Sans ALERTES_LIST_APPROVE : invoke alertes refuse d'envoyer, rien n'est retenu par Mailman")

            if room.alert(approve=MODERATOR_PASSWORD) != 0:
                raise SystemExit("ÉCHEC : invoke alertes a échoué avec le mot de passe")
            messages = wait_for("message distribué à l'abonné", lambda: delivered_to(outgoing, SUBSCRIBER, "[INPS]"))
            check_delivered(messages, relay)

            with smtplib.LMTP("127.0.0.1", lmtp_port) as lmtp:
                lmtp.sendmail("journaliste@example.net", [f"inps-communiques-join@{DOMAIN}"], b"Subject: join\r\n\r\n")
            request = wait_for("demande de confirmation", lambda: delivered_to(outgoing, "journaliste@example.net"))
            print(f"Inscription par e-mail : confirmation demandée (« {request[0]['Subject']} »)")
    finally:
        sink.stop()
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print("RÉUSSI : refusé sans mot de passe, distribué avec, inscription par e-mail confirmée.")


def check_delivered(messages, relay):
    subjects = [m["Subject"] for m in messages]
    if subjects != ["[INPS] Communiqué envoyé avec le mot de passe"]:
        raise SystemExit(f"ÉCHEC : l'abonné a reçu {subjects}")
    message = messages[0]
    sent = [m for m in relay.messages if m["Subject"] == message["Subject"]][0]
    problems = []
    if message["Approved"] is not None:
        problems.append("l'en-tête Approved: n'a pas été retiré")
    if message["List-Unsubscribe"] is None:
        problems.append("pas de List-Unsubscribe ajouté par Mailman")
    if message["Message-ID"] != sent["Message-ID"]:
        problems.append(f"Message-ID changé : {sent['Message-ID']} → {message['Message-ID']}")
    if problems:
        raise SystemExit("ÉCHEC : " + " ; ".join(problems))
    print(f"Distribué à {SUBSCRIBER} : « {message['Subject']} », List-Unsubscribe {message['List-Unsubscribe']}")


if __name__ == "__main__":
    sys.exit(main())
