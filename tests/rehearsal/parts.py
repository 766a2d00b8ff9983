"""What the rehearsal's stories write: the content of the forge (the seeds, a synthetic
archive, the institutions' lists and network accounts) and an embargoed release with its photo and PDF."""

import datetime
import io
import shutil

import yaml
from operation import CHANNELS, LISTS
from PIL import Image
from tools import ROOT

from pressroom.tools import bench

ARCHIVE = 60  # articles beside the seeds: a withdrawal must not look like deleting most of the site


def content_with_lists(folder):
    shutil.copytree(ROOT / "content", folder)
    bench.generate_archive(folder, ARCHIVE)
    registry = folder / "institutions.yml"
    entries = yaml.safe_load(registry.read_text(encoding="utf-8"))
    for acronym, lists in LISTS.items():
        entries[acronym]["alertes"] = lists
    for acronym, accounts in CHANNELS.items():
        entries[acronym]["diffusion"] = accounts
    registry.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return folder


def photo():
    data = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 140)).save(data, "JPEG", quality=80)
    return data.getvalue()


def signed_release():
    """A PDF as the site ships it: the site checks only that the file is there."""
    data = io.BytesIO()
    Image.new("RGB", (595, 842), (255, 255, 255)).save(data, "PDF")
    return data.getvalue()


def release_files(embargo, slug="inps-inscriptions-independants", title=None, extra=""):
    """An embargoed release of INPS and CMSS with a photo, a signed PDF and an event."""
    title = title or "L'INPS et la CMSS ouvrent les inscriptions des travailleurs indépendants"
    event_day = (embargo + datetime.timedelta(days=3)).date()
    text = (
        f"Title: {title}\nDate: {embargo:%Y-%m-%d %H:%M}\nAuthor: Aminata Sow\nInstitutions: INPS, CMSS\n"
        "Category: Communiqué de presse\n"
        "Summary: Les travailleurs indépendants peuvent s'inscrire dès maintenant dans chaque agence.\n"
        "Image: images/inps-guichet.jpg\nImage-Alt: Le guichet d'inscription de l'agence de Bamako\n"
        "Attachments: fichiers/inps-communique-signe.pdf — Communiqué signé\n"
        f"Event: Journée d'inscription\nEvent-Start: {event_day} 09:00\nEvent-End: {event_day} 17:00\n"
        "Event-Location: Agence INPS de Bamako\nEvent-Organizers: INPS\n"
        f"{extra}Slug: {slug}\nLang: fr\n\n"
        "Les agences de l'INPS et de la CMSS reçoivent les travailleurs indépendants.\n"
    )
    return {
        f"content/articles/{embargo:%Y}/inps-inscriptions.md": text,
        "content/images/inps-guichet.jpg": photo(),
        "content/fichiers/inps-communique-signe.pdf": signed_release(),
    }
