"""End to end: `invoke alertes` → SMTP relay (STARTTLS, login) → Mailman 3 → SMTP sink.

Outside the default test run (Mailman needs about 1 GB and ten seconds to
start): run it with `bash deploy/alertes-e2e.sh`, which makes Mailman's own
venv and calls this script with that venv's Python (mailmanclient, aiosmtpd)
and PYTHONPATH=tests (smtp_sink). The site is built and the job is run with the
project's venv (.venv), as separate processes, the way a workflow would.

What it checks: a release announced without the moderator password is held by
the announce list and reaches nobody; the next, announced with it (Mailman's
`Approved:` header), is delivered to the subscriber, without that header, with
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
    """The site's content with INPS's list in the registry; builds and job runs with the project's venv."""

    def __init__(self, folder, relay):
        self.folder, self.relay, self.builds = folder, relay, 0
        self.content = folder / "content"
        shutil.copytree(ROOT / "content", self.content)
        self._python(  # PyYAML is the project's, not Mailman's
            "import yaml, pathlib; path = pathlib.Path(sys.argv[1]); entries = yaml.safe_load(path.read_text());"
            " entries['INPS']['alertes'] = {'annonces': sys.argv[2], 'inscription': sys.argv[3]};"
            " path.write_text(yaml.safe_dump(entries, allow_unicode=True))",
            self.content / "institutions.yml",
            LIST,
            f"inps-communiques-join@{DOMAIN}",
        )
        self.state = folder / "alertes-etat.json"
        self.output = None

    def publish(self, slug, title):
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        (self.content / "articles" / f"{slug}.md").write_text(
            f"Title: {title}\nDate: {today}\nAuthor: Rédaction\nInstitutions: INPS\nCategory: Communiqué\n"
            f"Summary: Le chapô de « {title} ».\nSlug: {slug}\nLang: fr\n\nLe corps du communiqué.\n",
            encoding="utf-8",
        )

    def build(self):
        self.builds += 1
        self.output = self.folder / f"output{self.builds}"
        self._python(
            "from pressroom import site; sys.exit(site.build('publishconf.py', path=sys.argv[1],"
            " output_path=sys.argv[2], cache_path=sys.argv[3], siteurl=sys.argv[4], feed_domain=sys.argv[4]))",
            self.content,
            self.output,
            self.folder / "cache",
            SITEURL,
        )

    def alert(self, approve="", init=False):
        environ = self.relay.environ(approve=approve)
        self._python(
            "from pressroom import alerts;"
            " sys.exit(alerts.run(sys.argv[1], sys.argv[2], sys.argv[3], init=sys.argv[4] == '1'))",
            self.output,
            self.content / "institutions.yml",
            self.state,
            "1" if init else "0",
            environ=environ,
        )

    def _python(self, code, *arguments, environ=None):
        env = {**os.environ, **(environ or {})}
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
            room.build()
            room.alert(init=True)

            room.publish("sans-mot-de-passe", "Communiqué envoyé sans le mot de passe")
            room.build()
            room.alert(approve="")
            held = wait_for("message retenu pour modération", lambda: list(mlist.held))
            time.sleep(5)  # leave Mailman time to distribute it, were it going to
            if delivered_to(outgoing, SUBSCRIBER, "[INPS]"):
                raise SystemExit("ÉCHEC : le message sans mot de passe a été distribué")
            print(f"Retenu pour modération : « {held[0].subject} » ; l'abonné n'en a rien reçu")

            room.publish("avec-mot-de-passe", "Communiqué envoyé avec le mot de passe")
            room.build()
            room.alert(approve=MODERATOR_PASSWORD)
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
    print("RÉUSSI : retenu sans mot de passe, distribué avec, inscription par e-mail confirmée.")


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
