"""Photos of articles, made ready for phones at build time with Pillow.

From one source photo (``Image: images/x.jpg``) come: responsive variants
360, 720 and 1080 pixels wide (never wider than the source) in WebP and in
JPEG, the original without its metadata (EXIF, GPS) for journalists to
download, and a 1200×630 JPEG of at most 200 KB for sharing (``og:image``).
Every file is written without the source's metadata, its orientation applied.

Variants are kept in a cache folder under a key made of the source's bytes
and of ``VERSION``: a rebuild with the same photo does not redo them.

``image_problem`` is the check that lint and the build share, in French: a
missing file, a type outside the allow-list (JPEG, PNG, WebP, GIF, judged by
the content, never SVG), a file over 20 MB, more pixels than ``MEDIA_MAX_PIXELS``
(a decompression bomb), or a file that does not decode to the end (truncated,
corrupt). What it accepts, ``make`` turns into files without a crash: variants
never exceed WebP's or JPEG's largest side, they are scaled to fit.

Nothing of the source's metadata is written (EXIF, GPS position, XMP, comments);
a colour profile other than sRGB is applied to the pixels, then dropped.

pelican-image-process was considered: it rewrites ``<img>`` tags of the body
by class, but our lead photo comes from the header, the cache must follow the
photo's content, and the original must lose its GPS position; a few Pillow
calls do exactly that.
"""

import dataclasses
import hashlib
import io
import os
import struct
import warnings
import zlib

from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from pressroom.content.text import file_size
from pressroom.settings import DEFAULTS

VERSION = "2"  # change it when the processing changes: every cached variant is then made anew
WIDTHS = (360, 720, 1080)
MAX_BYTES = 20 * 1024 * 1024
SHARE_SIZE = (1200, 630)
SHARE_MAX_BYTES = 200 * 1024
WEBP_QUALITY = 72
JPEG_QUALITY = 80
ORIGINAL_QUALITY = 92
DONE = "fait"  # marks a complete cache folder: a build stopped half-way leaves none
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "MPO": "JPEG"}
OPENED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")  # Pillow tries no other decoder (MPO opens as JPEG)
EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}
FORMATS_HINT = "enregistrez la photo en JPEG, PNG, WebP ou GIF"
# The original at its address keeps its format (a browser reads it by its content anyway).
ORIGINALS = {
    "JPEG": ("originale.jpg", "JPEG"),
    "PNG": ("originale.png", "PNG"),
    "WebP": ("originale.webp", "WEBP"),
    "GIF": ("originale.gif", "GIF"),
}
LARGEST_SIDE = {"WEBP": 16383, "JPEG": 65500, "GIF": 65535, "PNG": 2**31 - 1}
DECODING_ERRORS = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)
SITE_COLOUR = (11, 93, 59)  # the theme's --accent
# A font with French accents (Debian's fonts-dejavu-core, installed by .ci/run); Pillow's own has none.
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def cache_folder(settings):
    """Where the files made from the photos are kept between builds."""
    return os.path.join(settings["CACHE_PATH"], "photos")


def image_problem(path, max_pixels=DEFAULTS["MEDIA_MAX_PIXELS"], made_in=None):
    """Why ``path`` cannot be published as a photo, in French, or None. The whole file is
    decoded (JPEG at a reduced scale, which still reads every byte): what passes, ``make`` reads.
    A photo whose files are complete in the cache folder ``made_in`` was decoded then: it is not
    decoded again."""
    if not os.path.isfile(path):
        return "fichier introuvable", "placez la photo dans content/images/ et vérifiez son nom (majuscules comprises)"
    extension = path.rpartition(".")[2].lower() if "." in os.path.basename(path) else ""
    if extension not in EXTENSIONS:
        return f"type de fichier refusé ({'.' + extension if extension else 'sans extension'})", FORMATS_HINT
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        return (
            f"photo trop lourde ({file_size(size)})",
            f"réduisez-la sous {file_size(MAX_BYTES)} (2 000 pixels de large suffisent)",
        )
    too_many = (
        f"image de plus de {max_pixels / 1e6:.0f} millions de pixels".replace(".", ","),
        "réduisez ses dimensions (2 000 pixels de large suffisent)",
    )
    try:
        image = opened_image(path)
    except Image.DecompressionBombError:
        return too_many
    except DECODING_ERRORS:
        return "ce fichier n'est pas une image lisible", FORMATS_HINT
    try:
        with image:
            if image.width * image.height > max_pixels:
                return too_many
            if made_in and os.path.exists(os.path.join(made_in, source_key(path), DONE)):
                return None
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            flattened(image)
    except DECODING_ERRORS:
        return "image tronquée ou abîmée", f"ouvrez-la dans un logiciel de photos et {FORMATS_HINT}"
    return None


def opened_image(path):
    """The image at ``path``, opened with our decoders only; the pixel limit is ours (image_problem)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path, formats=OPENED_FORMATS)


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


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def flattened(image):
    """RGB pixels in sRGB, the orientation of the camera applied, transparency on white, and
    no metadata at all (Pillow would write the EXIF, XMP and profile it keeps in ``info``)."""
    profile = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    if profile and image.mode in ("RGB", "CMYK"):
        image = in_srgb(image, profile)
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    image.info = {}
    return image


def in_srgb(image, profile):
    """The pixels of ``image`` converted from its colour ``profile`` to sRGB (unchanged when the
    profile does not read: the pixels are then taken as sRGB)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def fitted(size, kind):
    """``size`` scaled down, keeping its proportions, so that no side exceeds what format ``kind`` holds."""
    width, height = size
    largest = LARGEST_SIDE[kind]
    if max(width, height) <= largest:
        return size
    ratio = largest / max(width, height)
    return max(1, round(width * ratio)), max(1, round(height * ratio))


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
    """Make (or find in the cache) every file of the photo at ``path``, checked by ``image_problem``."""
    folder = os.path.join(cache_folder, source_key(path))
    with opened_image(path) as opened:
        kind = FORMAT_NAMES.get(opened.format, "JPEG")
        image = flattened(opened)
    original_name, original_format = ORIGINALS[kind]
    sizes = {original_name: fitted(image.size, original_format), "partage.jpg": SHARE_SIZE}
    for width in widths_for(image.width):
        size = (width, max(1, round(image.height * width / image.width)))
        sizes[f"{width}.webp"], sizes[f"{width}.jpg"] = fitted(size, "WEBP"), fitted(size, "JPEG")
    if not os.path.exists(os.path.join(folder, DONE)):
        write_files(image, folder, sizes, ORIGINALS[kind])
    return Made(folder, sizes, original_name, kind)


def encoded(image, name, size, original):
    """The bytes of file ``name`` of the cache folder, made from ``image``; ``original`` is the
    name and Pillow format of the original."""
    if name == "partage.jpg":
        return share_bytes(image)
    if size != image.size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    if name == original[0]:
        return saved(image, original[1], ORIGINAL_QUALITY)
    if name.endswith(".webp"):
        return saved(image, "WEBP", WEBP_QUALITY)
    return saved(image, "JPEG", JPEG_QUALITY)


def saved(image, kind, quality):
    if kind == "JPEG":
        return jpeg_bytes(image, quality)
    buffer = io.BytesIO()
    options = {"WEBP": {"quality": quality, "method": 4}, "PNG": {"optimize": True}}.get(kind, {})
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def write_files(image, folder, sizes, original):
    os.makedirs(folder, exist_ok=True)
    for name, size in sizes.items():
        with open(os.path.join(folder, name), "wb") as out:
            out.write(encoded(image, name, size, original))
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


def logo_share_image(path, cache_folder):
    """A 1200×630 sharing image of an institution's logo, centred on white, made once per logo."""
    target = os.path.join(cache_folder, f"logo-{source_key(path)}.jpg")
    if not os.path.exists(target):
        os.makedirs(cache_folder, exist_ok=True)
        with opened_image(path) as opened:
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
