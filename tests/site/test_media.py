"""Photos and attachments on the real build: responsive variants (never
upscaled) in WebP and JPEG without EXIF or GPS, a 1200×630 sharing image of at
most 200 KB, the original to download, a cache keyed by the photo's content,
French errors for a missing, unreadable or oversized photo, and attachments
shown with format and weight, never copied for a draft."""

import os
import re

import pytest
from conftest import write_article
from PIL import Image
from showcase import INVITATION_URL, PHOTO_URL, build_showcase, photo_bytes

SHARE_MAX = 200 * 1024


@pytest.fixture(scope="module")
def showcase(tmp_path_factory):
    return build_showcase(tmp_path_factory.mktemp("showcase"))


def local(built, url):
    """The output file of a URL written with relative links (../../images/…) or from the root."""
    return built.output / url.split("../")[-1].lstrip("/")


def srcset(value):
    return [(part.split()[0], int(part.split()[1].rstrip("w"))) for part in value.split(", ")]


def test_lead_photo_is_a_responsive_picture(showcase):
    figure = showcase.soup(PHOTO_URL).select_one("figure.lead-photo")
    source, img = figure.find("source"), figure.find("img")
    assert source["type"] == "image/webp"
    assert [w for _, w in srcset(source["srcset"])] == [360, 720, 1080]
    assert [w for _, w in srcset(img["srcset"])] == [360, 720, 1080]
    assert img["sizes"] and source["sizes"] == img["sizes"]
    assert (img["width"], img["height"]) == ("1080", "720")
    assert img.get("loading") != "lazy" and img["fetchpriority"] == "high"  # the lead photo comes first
    assert img["alt"].startswith("Des agents de l'INPS") or img["alt"].startswith("Des agents de l’INPS")
    for url, width in srcset(source["srcset"]) + srcset(img["srcset"]):
        with Image.open(local(showcase, url)) as variant:
            assert variant.width == width and variant.format in ("WEBP", "JPEG")
            assert not variant.getexif(), url  # no camera, no GPS position


def test_original_to_download_has_no_gps_and_says_its_weight(showcase):
    link = showcase.soup(PHOTO_URL).select_one("figure.lead-photo a.download")
    text = link.get_text().replace("\u00a0", " ")
    assert text.startswith("Télécharger la photo originale (JPEG, ") and text.endswith(" Ko)") or "Mo)" in text
    original = local(showcase, link["href"])
    with Image.open(original) as image:
        assert image.size == (2400, 1600) and not image.getexif()
    assert "Service communication/INPS" in showcase.soup(PHOTO_URL).select_one("figcaption .credit").get_text()
    with Image.open(showcase.output / "images" / "inps-bareme.jpg") as static_copy:  # Pelican's copy too
        assert not static_copy.getexif().get_ifd(0x8825)


def test_sharing_image_is_1200_by_630_and_light(showcase):
    og = showcase.soup(PHOTO_URL).find("meta", property="og:image")["content"]
    path = showcase.output / og.split("127.0.0.1:8000/", 1)[1]
    assert path.stat().st_size <= SHARE_MAX
    with Image.open(path) as image:
        assert image.size == (1200, 630) and image.format == "JPEG"


def test_article_without_photo_shares_the_site_image(showcase):
    og = showcase.soup(INVITATION_URL).find("meta", property="og:image")["content"]
    assert og.endswith("/images/partage-site.jpg")
    with Image.open(showcase.output / "images" / "partage-site.jpg") as image:
        assert image.size == (1200, 630)


def test_a_narrow_photo_is_never_upscaled(content_copy, build):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "petite.jpg").write_bytes(photo_bytes(size=(500, 300), gps=False))
    write_article(content_copy, "2025/petite.md", article("Image: images/petite.jpg\nImage-Alt: Une petite photo\n"))
    built = build(content_copy)
    assert built.status == 0, built.messages
    img = built.soup("2025/05/essai").select_one("figure.lead-photo img")
    assert [w for _, w in srcset(img["srcset"])] == [360, 500]
    assert (img["width"], img["height"]) == ("500", "300")


def test_variants_are_cached_by_content(content_copy, build, tmp_path):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "photo.jpg").write_bytes(photo_bytes(size=(1200, 800), gps=False))
    write_article(content_copy, "2025/photo.md", article("Image: images/photo.jpg\nImage-Alt: Une photo\n"))
    first = build(content_copy)
    assert first.status == 0
    cached = sorted((tmp_path / "cache" / "photos").rglob("*.webp"))
    stamps = [p.stat().st_mtime_ns for p in cached]
    assert build(content_copy).status == 0
    assert [p.stat().st_mtime_ns for p in cached] == stamps  # not made again
    (content_copy / "images" / "photo.jpg").write_bytes(photo_bytes(size=(1200, 800), seed=7, gps=False))
    again = build(content_copy)
    assert again.status == 0
    old, new = photo_key(first), photo_key(again)
    assert new != old  # a new photo, a new key, as many variants
    variants = [len(list((tmp_path / "cache" / "photos" / key).glob("*.webp"))) for key in (old, new)]
    assert variants[0] == variants[1] > 0


def photo_key(built):
    """The cache key of the photo of the test's article, as its page names it."""
    return re.search(r"images/photos/([0-9a-f]{20})/", str(built.soup("2025/05/essai/").find("picture")))[1]


def article(extra):
    return (
        "Title: Essai\nDate: 2025-05-02\nAuthor: Rédaction\nInstitutions: CMSS\nSummary: Un résumé.\n"
        f"{extra}Slug: essai\n\nTexte.\n"
    )


def oversized(path):
    with open(path, "wb") as out:
        out.truncate(21 * 1024 * 1024)  # sparse: costs no disk


@pytest.mark.parametrize(
    "make, message",
    [
        (None, "Image: fichier introuvable « images/photo.jpg »"),
        (lambda p: p.write_text("pas une image"), "Image: ce fichier n'est pas une image lisible"),
        (oversized, "Image: photo trop lourde (21,0\u00a0Mo)"),
    ],
    ids=["absente", "illisible", "trop-lourde"],
)
def test_bad_photo_is_a_french_error_in_lint_and_build(content_copy, build, make, message):
    (content_copy / "images").mkdir(exist_ok=True)
    if make:
        make(content_copy / "images" / "photo.jpg")
    write_article(content_copy, "2025/photo.md", article("Image: images/photo.jpg\nImage-Alt: Une photo\n"))
    built = build(content_copy)
    assert built.status != 0
    assert f"articles/2025/photo.md:6: {message}" in built.messages, built.messages
    assert "Traceback" not in built.messages


def test_photo_needs_its_description(content_copy, build):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "photo.jpg").write_bytes(photo_bytes(size=(400, 300), gps=False))
    write_article(content_copy, "2025/photo.md", article("Image: images/photo.jpg\n"))
    built = build(content_copy)
    assert built.status != 0 and "Image-Alt: description de la photo absente" in built.messages


# --- Attachments ---------------------------------------------------------------------


def test_attachments_show_label_format_and_weight(showcase):
    items = showcase.soup(PHOTO_URL).select(".attachments li")
    texts = [li.get_text(" ", strip=True).replace("\u00a0", " ") for li in items]
    assert texts[0].startswith("Communiqué signé (PDF, ") and texts[0].endswith(" Ko)")
    assert texts[1].startswith("Tableau des taux (PDF, ")
    for li in items:
        path = local(showcase, li.a["href"])
        assert path.exists() and path.read_bytes().startswith(b"%PDF")


def test_files_of_a_draft_never_reach_the_output(showcase):
    names = {p.name for p in showcase.output.rglob("*")}
    assert "brouillon-secret.pdf" not in names and "brouillon-secret.jpg" not in names
    with open(showcase.output / "images" / "inps-bareme.jpg", "rb") as published:
        assert published.read(2) == b"\xff\xd8"


def test_missing_attachment_is_an_error_at_its_line(content_copy, build):
    (content_copy / "fichiers").mkdir(exist_ok=True)
    (content_copy / "fichiers" / "la.pdf").write_bytes(b"%PDF-1.4\n")
    extra = "Attachments: fichiers/la.pdf — Présent\n    fichiers/absent.pdf — Absent\n"
    write_article(content_copy, "2025/essai.md", article(extra))
    built = build(content_copy)
    assert built.status != 0
    assert "essai.md:7: Attachments: fichier introuvable « fichiers/absent.pdf »" in built.messages, built.messages


def test_attachment_outside_the_files_folder_is_refused(content_copy, build):
    write_article(content_copy, "2025/essai.md", article("Attachments: ../secret.txt — Secret\n"))
    built = build(content_copy)
    assert built.status != 0 and "Attachments: chemin refusé" in built.messages, built.messages


def test_image_bytes_are_the_originals_size_label(showcase):
    link = showcase.soup(PHOTO_URL).select_one("figure.lead-photo a.download")
    size = os.path.getsize(local(showcase, link["href"]))
    shown = link.get_text().rsplit(", ", 1)[1].rstrip(")").replace("\u00a0", " ")
    number, unit = shown.split(" ")
    value = float(number.replace(",", ".")) * (1024 if unit == "Ko" else 1024 * 1024)
    assert abs(value - size) / size < 0.06


def test_article_without_photo_shares_its_institution_logo(content_copy, build):
    (content_copy / "images" / "logos").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 120), (200, 30, 30)).save(content_copy / "images" / "logos" / "inps.png")
    registry = content_copy / "institutions.yml"
    text = registry.read_text(encoding="utf-8").replace(
        "  site: https://www.inps.ml\n", "  site: https://www.inps.ml\n  logo: images/logos/inps.png\n", 1
    )
    registry.write_text(text, encoding="utf-8")
    write_article(content_copy, "2025/essai.md", article("").replace("CMSS", "INPS"))
    built = build(content_copy)
    assert built.status == 0, built.messages
    og = built.soup("2025/05/essai").find("meta", property="og:image")["content"]
    assert og.endswith("/images/photos/logos/inps.jpg")
    with Image.open(built.output / "images" / "photos" / "logos" / "inps.jpg") as image:
        assert image.size == (1200, 630) and image.getpixel((600, 315)) != (255, 255, 255)
    cmss = built.soup("2024/10/cmss-untm-formation-relations-professionnelles").find("meta", property="og:image")
    assert cmss["content"].endswith("/images/partage-site.jpg")  # the CMSS has no logo


def test_photos_in_the_body_are_lazy_sized_and_stripped(content_copy, build):
    (content_copy / "images").mkdir(exist_ok=True)
    (content_copy / "images" / "corps.jpg").write_bytes(photo_bytes(size=(640, 480)))
    text = article("").replace("Texte.", "Texte.\n\n![Les participants]({static}/images/corps.jpg)")
    write_article(content_copy, "2025/essai.md", text)
    built = build(content_copy)
    assert built.status == 0, built.messages
    img = built.soup("2025/05/essai").select_one(".body img")
    assert (img["loading"], img["width"], img["height"], img["alt"]) == ("lazy", "640", "480", "Les participants")
    with Image.open(local(built, img["src"])) as published:
        assert published.size == (640, 480) and not published.getexif().get_ifd(0x8825)
