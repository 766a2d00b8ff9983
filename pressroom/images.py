"""Photos of articles, made ready for phones at build time with Pillow.

From one source photo (``Image: images/x.jpg``) come: responsive variants
360, 720 and 1080 pixels wide (never wider than the source) in WebP and in
JPEG, the original without its metadata (EXIF, GPS) for journalists to
download, and a 1200×630 JPEG of at most 200 KB for sharing (``og:image``).
Every file is written without the source's metadata, its orientation applied.

Variants are kept in a cache folder under a key made of the source's bytes
and of ``VERSION``: a rebuild with the same photo does not redo them.

``image_problem`` is the check that lint and the build share: a missing file,
a file that is not an image, or one over 20 MB, in French.

pelican-image-process was considered: it rewrites ``<img>`` tags of the body
by class, but our lead photo comes from the header, the cache must follow the
photo's content, and the original must lose its GPS position; a few Pillow
calls do exactly that.
"""

import dataclasses
import hashlib
import io
import os

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from .output import copy_output
from .text import file_size

VERSION = "1"  # change it when the processing changes: every cached variant is then made anew
WIDTHS = (360, 720, 1080)
MAX_BYTES = 20 * 1024 * 1024
SHARE_SIZE = (1200, 630)
SHARE_MAX_BYTES = 200 * 1024
WEBP_QUALITY = 72
JPEG_QUALITY = 80
ORIGINAL_QUALITY = 92
DONE = "fait"  # marks a complete cache folder: a build stopped half-way leaves none
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "MPO": "JPEG"}
ACCEPTED_FORMATS = set(FORMAT_NAMES)
SITE_COLOUR = (11, 93, 59)  # the theme's --accent
# A font with French accents (Debian's fonts-dejavu-core, installed by .ci/run); Pillow's own has none.
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def image_problem(path):
    """Why ``path`` cannot be published as a photo, in French, or None."""
    if not os.path.isfile(path):
        return "fichier introuvable", "placez la photo dans content/images/ et vérifiez son nom (majuscules comprises)"
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        return (
            f"photo trop lourde ({file_size(size)})",
            f"réduisez-la sous {file_size(MAX_BYTES)} (2 000 pixels de large suffisent)",
        )
    try:
        with Image.open(path) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "ce fichier n'est pas une image lisible", "enregistrez la photo en JPEG, PNG ou WebP"
    if kind not in ACCEPTED_FORMATS:
        return f"format d'image refusé ({kind})", "enregistrez la photo en JPEG, PNG ou WebP"
    return None


@dataclasses.dataclass(frozen=True)
class Variant:
    url: str  # relative to the site root
    width: int
    height: int


@dataclasses.dataclass
class Photo:
    """What the templates need to show a photo and offer its original."""

    alt: str
    caption: str
    credit: str
    webp: list  # of Variant, narrowest first
    jpeg: list
    original: Variant
    original_label: str  # « JPEG, 3,2 Mo »
    share: Variant

    @property
    def fallback(self):
        """The JPEG a browser without srcset loads: the middle width."""
        return self.jpeg[len(self.jpeg) // 2]

    @property
    def largest(self):
        return self.jpeg[-1]


@dataclasses.dataclass
class Made:
    """The files made from one source: name in the cache folder -> (width, height)."""

    folder: str
    sizes: dict
    original_name: str
    original_format: str


def source_key(path):
    digest = hashlib.sha256(VERSION.encode())
    with open(path, "rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def widths_for(width):
    """The variant widths of a photo ``width`` pixels wide: never wider than the photo itself."""
    chosen = [w for w in WIDTHS if w < width]
    return chosen + [min(width, WIDTHS[-1])]


def flattened(image):
    """RGB pixels, the orientation of the camera applied, transparency on white."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def jpeg_bytes(image, quality):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def share_bytes(image):
    """A 1200×630 JPEG of at most SHARE_MAX_BYTES, cropped around the centre."""
    cropped = ImageOps.fit(image, SHARE_SIZE, Image.Resampling.LANCZOS)
    for quality in (85, 75, 65, 55, 45, 35):
        data = jpeg_bytes(cropped, quality)
        if len(data) <= SHARE_MAX_BYTES:
            return data
    return data


def make(path, cache_folder):
    """Make (or find in the cache) every file of the photo at ``path``."""
    folder = os.path.join(cache_folder, source_key(path))
    with Image.open(path) as opened:
        kind = FORMAT_NAMES.get(opened.format, "JPEG")
        image = flattened(opened)
    original_name = "originale.png" if kind == "PNG" else "originale.jpg"
    original_format = "PNG" if kind == "PNG" else "JPEG"
    sizes = {original_name: image.size, "partage.jpg": SHARE_SIZE}
    for width in widths_for(image.width):
        size = (width, max(1, round(image.height * width / image.width)))
        sizes[f"{width}.webp"] = sizes[f"{width}.jpg"] = size
    if not os.path.exists(os.path.join(folder, DONE)):
        write_files(image, folder, sizes, original_name)
    return Made(folder, sizes, original_name, original_format)


def write_files(image, folder, sizes, original_name):
    os.makedirs(folder, exist_ok=True)
    for name, size in sizes.items():
        target = os.path.join(folder, name)
        if name == original_name:
            if name.endswith(".png"):
                image.save(target, "PNG", optimize=True)
            else:
                with open(target, "wb") as out:
                    out.write(jpeg_bytes(image, ORIGINAL_QUALITY))
        elif name == "partage.jpg":
            with open(target, "wb") as out:
                out.write(share_bytes(image))
        else:
            resized = image.resize(size, Image.Resampling.LANCZOS)
            if name.endswith(".webp"):
                resized.save(target, "WEBP", quality=WEBP_QUALITY, method=4)
            else:
                with open(target, "wb") as out:
                    out.write(jpeg_bytes(resized, JPEG_QUALITY))
    with open(os.path.join(folder, DONE), "w", encoding="utf-8") as mark:
        mark.write(VERSION)


def photo(made, url_folder, alt="", caption="", credit=""):
    """The Photo of files ``made``, as published under ``url_folder`` (relative to the site root)."""

    def variant(name):
        width, height = made.sizes[name]
        return Variant(f"{url_folder}/{name}", width, height)

    widths = sorted(int(name.split(".")[0]) for name in made.sizes if name.endswith(".webp"))
    original_size = os.path.getsize(os.path.join(made.folder, made.original_name))
    return Photo(
        alt=alt,
        caption=caption,
        credit=credit,
        webp=[variant(f"{w}.webp") for w in widths],
        jpeg=[variant(f"{w}.jpg") for w in widths],
        original=variant(made.original_name),
        original_label=f"{made.original_format}, {file_size(original_size)}",
        share=variant("partage.jpg"),
    )


def copy_made(made, output_folder):
    """Copy the files of ``made`` (not its cache mark) into ``output_folder``."""
    for name in made.sizes:
        copy_output(os.path.join(made.folder, name), os.path.join(output_folder, name))


def logo_share_image(path, cache_folder):
    """A 1200×630 sharing image of an institution's logo, centred on white, made once per logo."""
    target = os.path.join(cache_folder, f"logo-{source_key(path)}.jpg")
    if not os.path.exists(target):
        os.makedirs(cache_folder, exist_ok=True)
        with Image.open(path) as opened:
            logo = flattened(opened)
        logo.thumbnail((SHARE_SIZE[0] - 200, SHARE_SIZE[1] - 160), Image.Resampling.LANCZOS)
        canvas = Image.new("RGB", SHARE_SIZE, "white")
        canvas.paste(logo, ((SHARE_SIZE[0] - logo.width) // 2, (SHARE_SIZE[1] - logo.height) // 2))
        with open(target, "wb") as out:
            out.write(share_bytes(canvas))
    return target


def site_share_image(cache_folder, title):
    """The site's own 1200×630 sharing image (its name on the theme's colour), made once per title."""
    key = hashlib.sha256(f"{VERSION}\n{title}".encode()).hexdigest()[:20]
    path = os.path.join(cache_folder, f"site-{key}.jpg")
    if not os.path.exists(path):
        os.makedirs(cache_folder, exist_ok=True)
        image = Image.new("RGB", SHARE_SIZE, SITE_COLOUR)
        draw = ImageDraw.Draw(image)
        font = title_font(52)
        lines = wrap(title, draw, font, SHARE_SIZE[0] - 160)
        top = (SHARE_SIZE[1] - 72 * len(lines)) // 2
        for number, line in enumerate(lines):
            draw.text((80, top + 72 * number), line, fill="white", font=font)
        with open(path, "wb") as out:
            out.write(jpeg_bytes(image, 85))
    return path


def title_font(size):
    for path in FONT_FILES:
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def wrap(text, draw, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line] if line else lines
