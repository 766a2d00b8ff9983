"""The e-mails of `invoke alertes`: one release announced to an institution's
list, or the digest of several. French text and HTML parts, a Message-ID that
depends only on what is announced (a retry after a doubtful failure carries the
same one), and no List-Unsubscribe: the list manager adds its own."""

import dataclasses
import datetime
import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

import jinja2

from pressroom.content import frdates
from pressroom.content.contacts import press_contact


@dataclasses.dataclass(frozen=True)
class Release:
    """One entry of an institution's Atom feed."""

    id: str
    link: str
    path: str
    title: str
    summary: str
    published: datetime.datetime
    source: str = ""  # the file published at this address (list of published addresses), when known

    @property
    def day(self):
        return self.published.date()


@dataclasses.dataclass(frozen=True)
class Envelope:
    """Who sends, and the list's moderator password (Mailman's ``Approved:``), if any."""

    sender: str
    approve: str = ""


def _environment(autoescape):
    environment = jinja2.Environment(autoescape=autoescape, trim_blocks=True, lstrip_blocks=True)
    environment.filters["date_long"] = frdates.long_date
    return environment


TEXT = _environment(autoescape=False).from_string(
    """{{ institution.name }} ({{ institution.acronym }})
{% for release in releases %}

{{ "* " if digest }}{{ release.title }}
Publié le {{ release.published | date_long }}

{{ release.summary }}

Lire le communiqué : {{ release.link }}
{% endfor %}
{% if contact %}

Contact presse {{ institution.acronym }} : {{ contact | join(" — ") }}
{% endif %}
"""
)
HTML = _environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body>
<p>{{ institution.name }} ({{ institution.acronym }})</p>
{% for release in releases %}
<h{{ 2 if digest else 1 }}><a href="{{ release.link }}">{{ release.title }}</a></h{{ 2 if digest else 1 }}>
<p>Publié le {{ release.published | date_long }}</p>
<p>{{ release.summary }}</p>
<p><a href="{{ release.link }}">Lire le communiqué</a></p>
{% endfor %}
{% if contact %}
<p>Contact presse {{ institution.acronym }} : {{ contact | join(" — ") }}</p>
{% endif %}
</body>
</html>
"""
)


def message_id(releases, list_address):
    """``<alerte.…@host>``, the same for the same releases sent to the same list."""
    seed = "\n".join([list_address, *sorted(r.id for r in releases)])
    host = releases[0].link.split("/")[2] if "://" in releases[0].link else "alertes.invalid"
    return f"<alerte.{hashlib.sha256(seed.encode()).hexdigest()[:32]}@{host}>"


def digest_subject(institution, releases):
    """« [INPS] Résumé du mercredi 5 février 2025 »: the day the releases were published, not the day
    the digest leaves; « Résumé des communiqués du 4 au 5 février 2025 » when they span several days."""
    days = sorted({release.day for release in releases})
    if len(days) == 1:
        return f"[{institution.acronym}] Résumé du {frdates.long_date(days[0])}"
    return f"[{institution.acronym}] Résumé des communiqués {frdates.date_range(days[0], days[-1])}"


def compose(institution, releases, list_address, envelope, now, digest=False, fallback_contact=None):
    """The EmailMessage announcing ``releases`` of ``institution`` to ``list_address``. Without a press
    contact in the registry, ``fallback_contact`` (the site's own, as on the pages) is given."""
    subject = digest_subject(institution, releases) if digest else f"[{institution.acronym}] {releases[0].title}"
    contact = press_contact(institution)
    if not contact.known and fallback_contact is not None:
        contact = fallback_contact
    known = [contact.name, contact.email, contact.phone]
    values = {
        "institution": institution,
        "releases": releases,
        "digest": digest,
        "contact": [value for value in known if value],
        "subject": subject,
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = Address(display_name=f"Communiqués {institution.acronym}", addr_spec=envelope.sender)
    message["To"] = list_address
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(releases, list_address)
    if contact.email:
        message["Reply-To"] = contact.email  # a journalist's reply reaches the press office, not the list
    if envelope.approve:
        message["Approved"] = envelope.approve  # Mailman checks, then removes it, before distribution
    message.set_content(TEXT.render(values), cte="quoted-printable")
    message.add_alternative(HTML.render(values), subtype="html", cte="quoted-printable")
    message["Content-Language"] = "fr"  # after set_content, which drops the Content-* headers it finds
    return message
