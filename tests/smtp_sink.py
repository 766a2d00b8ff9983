"""An SMTP server for the alert tests (aiosmtpd) that behaves like a real
submission server: STARTTLS first, then login (LOGIN or PLAIN), with a
self-signed certificate made by the openssl command for 127.0.0.1. It keeps the
messages it accepts, can refuse them from a given count on, and can hand each
one over to a callback (the Mailman end-to-end script forwards them by LMTP)."""

import contextlib
import dataclasses
import email
import email.policy
import pathlib
import shutil
import socket
import ssl
import subprocess

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def self_signed_certificate(folder):
    """(certificate, key) files for localhost and 127.0.0.1, valid two days."""
    if not shutil.which("openssl"):
        raise RuntimeError("openssl absent : apt-get install openssl")
    folder = pathlib.Path(folder)
    certificate, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost"]
        + ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )
    return certificate, key


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler:
    """Keeps each accepted message; refuses every message after ``accept_only`` more (when set)."""

    def __init__(self, forward=None):
        self.messages, self.envelopes, self.mechanisms = [], [], []
        self.accept_only = None
        self.forward = forward
        self.hold_unapproved = False  # when set, as a Mailman list: a post without Approved: accepted, then held
        self.held = []

    async def handle_DATA(self, server, session, envelope):
        if self.accept_only is not None:
            if self.accept_only <= 0:
                return "451 4.3.0 Panne simulée, réessayez plus tard"
            self.accept_only -= 1
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        if self.hold_unapproved and message["Approved"] is None:
            self.held.append(message)
            return "250 2.0.0 OK"
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.forward:
            self.forward(envelope.mail_from, list(envelope.rcpt_tos), raw)
        return "250 2.0.0 OK"


@dataclasses.dataclass
class Sink:
    host: str
    port: int
    certificate: pathlib.Path
    handler: Handler
    user: str
    password: str

    @property
    def messages(self):
        return self.handler.messages

    @property
    def held(self):
        return self.handler.held

    def environ(self, password=None, approve="mot-de-passe-moderation"):
        """The job's environment variables for this server."""
        return {
            "ALERTES_SMTP_HOST": self.host,
            "ALERTES_SMTP_PORT": str(self.port),
            "ALERTES_SMTP_USER": self.user,
            "ALERTES_SMTP_PASSWORD": self.password if password is None else password,
            "ALERTES_SMTP_CA": str(self.certificate),
            "ALERTES_EXPEDITEUR": "communiques@listes.example.org",
            "ALERTES_LIST_APPROVE": approve,
        }

    def reset(self):
        self.handler.messages.clear()
        self.handler.envelopes.clear()
        self.handler.mechanisms.clear()
        self.handler.held.clear()
        self.handler.accept_only = None


@contextlib.contextmanager
def smtp_sink(folder, user="alertes@listes.example.org", password="bon-mot-de-passe", forward=None, exclude=()):
    """A running server on 127.0.0.1 requiring STARTTLS and login; ``exclude``: AUTH mechanisms to withhold."""
    certificate, key = self_signed_certificate(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    handler = Handler(forward)

    def authenticate(server, session, envelope, mechanism, auth_data):
        handler.mechanisms.append(mechanism)
        good = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=good, handled=False)

    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=free_port(),
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        auth_require_tls=True,
        authenticator=authenticate,
        auth_exclude_mechanism=list(exclude),
    )
    controller.start()
    try:
        yield Sink(controller.hostname, controller.port, certificate, handler, user, password)
    finally:
        controller.stop()
