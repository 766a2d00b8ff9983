"""A content folder that shows the whole press content model: the seeds plus a
release with a photo (made here with Pillow, with a GPS position in its EXIF),
attachments and corrections, a withdrawn release, a press invitation, and a
draft whose photo and attachment must never be published."""

import io
import random
import shutil

from conftest import FIXTURE_SITE, build_site, write_article
from PIL import Image, ImageDraw

PHOTO_URL = "2025/03/inps-bareme-cotisations-2025/"
WITHDRAWN_URL = "2025/04/atelier-mutualite-reporte/"
INVITATION_URL = "2025/05/invitation-presse-lancement-amo/"
PHOTO_SIZE = (2400, 1600)
GPS = {1: "N", 2: (12.0, 39.0, 0.0), 3: "W", 4: (8.0, 0.0, 0.0)}

RELEASE = """\
Title: L'INPS publie le barème des cotisations 2025
Date: 2025-03-10 09:00
Modified: 2025-03-12 16:00
Author: Aminata Bocar Sow
Author-Service: Service communication/INPS
Institutions: INPS
Category: Communiqué de presse
Number: 7/2025
Summary: L'INPS publie le barème des cotisations sociales applicable à partir du deuxième trimestre 2025.
Image: images/inps-bareme.jpg
Image-Alt: Des agents de l'INPS présentent le nouveau barème au guichet de Bamako
Image-Caption: Présentation du barème au siège de l'INPS
Image-Credit: Service communication/INPS
Attachments: fichiers/inps-bareme-signe.pdf — Communiqué signé
    fichiers/inps-bareme-tableau.pdf — Tableau des taux
Corrections: 2025-03-11 — Taux de la branche famille corrigé
    2025-03-12 — Date d'entrée en vigueur précisée
Slug: inps-bareme-cotisations-2025

Le nouveau barème s'applique aux salaires versés à partir d'avril 2025.

Les employeurs trouveront le détail des taux dans le tableau joint.
"""

WITHDRAWN = """\
Title: Atelier sur la mutualité sociale
Date: 2025-04-02
Author: Y. Doumbia
Institutions: UTM
Category: Avis aux médias
Summary: L'UTM invite la presse à son atelier sur la mutualité sociale, le 20 avril à Bamako.
Withdrawn: 2025-04-05 — Atelier reporté à une date ultérieure
Event: Atelier sur la mutualité sociale
Event-Start: 2025-04-20
Event-Location: Siège de l'UTM, Bamako
Event-Organizers: UTM
Slug: atelier-mutualite-reporte

L'atelier réunira les mutuelles de Bamako.
"""

INVITATION = """\
Title: Invitation à la presse : lancement de la campagne d'immatriculation à l'AMO
Date: 2025-05-05 10:00
Author: Rédaction
Institutions: CANAM, INPS
Category: Avis aux médias
Summary: La CANAM invite les journalistes au lancement de la campagne d'immatriculation à l'AMO, le 15 mai à 9 h.
Event: Lancement de la campagne d'immatriculation à l'AMO
Event-Start: 2025-05-15 09:00
Event-End: 2025-05-15 12:00
Event-Location: Siège de la CANAM, Bamako
Event-Organizers: CANAM
Slug: invitation-presse-lancement-amo

La CANAM lance sa campagne d'immatriculation à l'Assurance Maladie Obligatoire. Les journalistes sont invités à la
cérémonie de lancement.
"""

DRAFT = """\
Title: Projet de communiqué confidentiel
Date: 2025-05-20
Author: Rédaction
Institutions: CMSS
Summary: Un brouillon.
Image: images/brouillon-secret.jpg
Image-Alt: Une photo à ne pas publier
Attachments: fichiers/brouillon-secret.pdf — Projet
Status: draft
Slug: projet-confidentiel

Pas encore publié.
"""


def photo_bytes(size=PHOTO_SIZE, seed=4, gps=True, quality=95):
    """A photo-like JPEG (gradient and discs), with a camera model and a GPS position in its EXIF."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    chance = random.Random(seed)
    for _ in range(60):
        x, y, side = chance.randrange(size[0]), chance.randrange(size[1]), chance.randrange(size[0] // 60, size[0] // 8)
        draw.ellipse((x, y, x + side, y + side), fill=tuple(chance.randrange(256) for _ in range(3)))
    exif = Image.Exif()
    exif[0x010F] = "Appareil de test"
    if gps:
        exif[0x8825] = GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif)
    return buffer.getvalue()


def pdf_bytes(pages=3):
    """A small file that starts as a PDF does (the site only copies it)."""
    return b"%PDF-1.4\n" + b"% page de test\n" * (300 * pages) + b"%%EOF\n"


def make_showcase(destination):
    content = shutil.copytree(FIXTURE_SITE, destination)
    (content / "images").mkdir(exist_ok=True)
    (content / "fichiers").mkdir(exist_ok=True)
    (content / "images" / "inps-bareme.jpg").write_bytes(photo_bytes())
    (content / "images" / "brouillon-secret.jpg").write_bytes(photo_bytes(size=(800, 600), seed=9))
    (content / "fichiers" / "inps-bareme-signe.pdf").write_bytes(pdf_bytes(50))
    (content / "fichiers" / "inps-bareme-tableau.pdf").write_bytes(pdf_bytes(2))
    (content / "fichiers" / "brouillon-secret.pdf").write_bytes(pdf_bytes(1))
    write_article(content, "2025/bareme.md", RELEASE)
    write_article(content, "2025/atelier-reporte.md", WITHDRAWN)
    write_article(content, "2025/invitation.md", INVITATION)
    write_article(content, "2025/brouillon.md", DRAFT)
    return content


def build_showcase(base, make=make_showcase, **overrides):
    """Build the content that ``make`` writes into ``base/content``."""
    content = make(base / "content")
    built = build_site(content, base / "output", events_today="2025-05-01", **overrides)
    assert built.status == 0, built.messages
    return built
