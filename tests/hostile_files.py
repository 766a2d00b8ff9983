"""Hostile and broken files for the content folder, made small in the tests (nothing big is
committed): script in SVG and HTML, a decompression bomb, a truncated JPEG, a PNG whose
data do not decode, a tall infographic, and a photo full of metadata."""

import io
import struct
import zlib

from PIL import Image, ImageCms
from showcase import GPS, photo_bytes

SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><script>alert(1)</script></svg>\n'
HTML = "<!doctype html><title>x</title><script>alert(1)</script>\n"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description>Lieu</rdf:Description></rdf:RDF></x:xmpmeta>'
DRAFT = """Title: Projet de communiqué
Date: 2024-03-01
Author: Awa Traoré
Institutions: CMSS
Status: draft

Texte du projet, pas encore publié.
"""


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width, height, compressed):
    """A PNG of an RGB image ``width``×``height`` whose pixel data are ``compressed`` (any bytes),
    every chunk with a right checksum: only decoding the pixels shows what is wrong."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", compressed) + png_chunk(b"IEND", b"")


def bomb_png(path):
    """30000×30000 pixels announced in 60 bytes: decoding it would take 2.7 GB."""
    write(path, png_bytes(30000, 30000, zlib.compress(b"\0" * 1024)))


def corrupt_png(path):
    rows = b"".join(b"\0" + bytes(range(192)) for _ in range(64))  # 64 rows of 64 RGB pixels
    compressed = bytearray(zlib.compress(rows))
    compressed[10:30] = b"\xff" * 20
    write(path, png_bytes(64, 64, bytes(compressed)))


def truncated_jpeg(path):
    data = photo_bytes(size=(400, 300), gps=False)
    write(path, data[: len(data) // 2])


def tall_infographic(path):
    """An ordinary 1200×20000 infographic: taller than WebP's 16383 pixels."""
    image = Image.new("RGB", (1200, 20000), (240, 240, 230))
    image.paste((11, 93, 59), (100, 100, 1100, 19900))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    write(path, buffer.getvalue())


def photo_with_metadata(path, seed=4):
    """A JPEG with a camera, a GPS position, an XMP packet and a colour profile."""
    with Image.open(io.BytesIO(photo_bytes(size=(900, 600), seed=seed))) as image:
        exif = image.getexif()
        exif[0x8825] = GPS
        profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", exif=exif, xmp=XMP, icc_profile=profile)
    write(path, buffer.getvalue())


def svg(path):
    write(path, SVG)


def html_page(path):
    write(path, HTML)


def script(path):
    write(path, "alert(document.domain)\n")


def draft_source(path):
    write(path, DRAFT)


def pdf(path):
    write(path, b"%PDF-1.4\n% page de test\n%%EOF\n")


def metadata_left(path):
    """What a published image still says of where and how it was taken (empty when clean)."""
    with Image.open(path) as image:
        found = {key for key in ("exif", "xmp", "icc_profile", "XML:com.adobe.xmp", "comment") if image.info.get(key)}
        if image.getexif():
            found.add("EXIF")
        return found
