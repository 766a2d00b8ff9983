"""A content folder for the press room (issue 28): the showcase, with fictional spokespeople for
the INPS (tests/fixtures/press/porte-parole.yml) and its release naming one of them."""

import datetime
import pathlib

from conftest import write_article
from showcase import build_showcase, make_showcase, photo_bytes

FIXTURES = pathlib.Path(__file__).resolve().parent / "fixtures" / "press"
SPOKESPERSON = "Awa Exemple"
# An embargoed release given to journalists (its date is always ahead of the build), and one whose
# embargo has lifted; the tokens are fixed here so that tests know the secret addresses.
EMBARGO_TOKEN = "t0k3n-Secret_Embargo-0123456789abcdef"
LIFTED_TOKEN = "L1fted-Secret_Embargo-0123456789abcdef"
EMBARGO_URL = f"apercu/{EMBARGO_TOKEN}/"
LIFTED_URL = f"apercu/{LIFTED_TOKEN}/"
LIFTED_PUBLIC_URL = "2025/02/inps-resultats-2024/"
EMBARGOED = """\
Title: Résultats confidentiels de l'INPS
Date: {date}
Author: Rédaction
Institutions: INPS
Category: Communiqué de presse
Summary: L'INPS présentera ses résultats annuels.
Image: images/embargo-photo.jpg
Image-Alt: Le siège de l'INPS
Attachments: fichiers/embargo-annexe.pdf — Annexe chiffrée
Event: Conférence de presse sur les résultats confidentiels
Event-Start: {date}
Event-Location: Siège de l'INPS, Bamako
Event-Organizers: INPS
Preview-Token: {token}
Slug: resultats-confidentiels-inps

Le texte du communiqué sous embargo, avec le chiffre 987654.
"""
LIFTED = """\
Title: Résultats 2024 de l'INPS
Date: 2025-02-03 10:00
Author: Rédaction
Institutions: INPS
Summary: L'INPS publie ses résultats 2024.
Preview-Token: {token}
Slug: inps-resultats-2024

Les résultats sont publics.
"""


def embargo_date():
    return (datetime.date.today() + datetime.timedelta(days=60)).isoformat() + " 10:30"


def add_embargoed_releases(content):
    (pathlib.Path(content) / "images" / "embargo-photo.jpg").write_bytes(photo_bytes(size=(800, 600), seed=11))
    (pathlib.Path(content) / "fichiers" / "embargo-annexe.pdf").write_bytes(b"%PDF-1.4\n% annexe 987654\n%%EOF\n")
    write_article(content, "2026/embargo.md", EMBARGOED.format(date=embargo_date(), token=EMBARGO_TOKEN))
    write_article(content, "2025/leve.md", LIFTED.format(token=LIFTED_TOKEN))


def add_spokespeople(content, acronym):
    """Insert the fixture's « porte_parole » block under ``acronym`` in the content's registry."""
    registry = pathlib.Path(content) / "institutions.yml"
    block = "".join(line for line in (FIXTURES / "porte-parole.yml").open(encoding="utf-8") if not line.startswith("#"))
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace(f"\n{acronym}:\n", f"\n{acronym}:\n{block}", 1), encoding="utf-8")


def name_spokesperson(content, relative, name):
    article = pathlib.Path(content) / "articles" / relative
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\nSlug:", f"\nSpokesperson: {name}\nSlug:", 1), encoding="utf-8")


def make_press_room(destination):
    content = make_showcase(destination)
    add_spokespeople(content, "INPS")
    name_spokesperson(content, "2025/bareme.md", SPOKESPERSON)
    add_embargoed_releases(content)
    return content


def build_press_room(base, **overrides):
    return build_showcase(base, make=make_press_room, **overrides)
