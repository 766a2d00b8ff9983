"""Gzip as our server sends it: level 9, a header with no file name and no time,
so that the same bytes give the same copy on every build (plugins/gzip_copies
writes the ``.gz`` copies; plugins/lite measures pages with the same bytes).

A file that the site in place holds already, with its copy, is not compressed again: that copy
is taken once it is shown to give exactly the file's bytes (``previous_copy``)."""

import os
import zlib

from pressroom.build import atomic, output

# A page holding this mark is not finished: a later step (plugins/lite, which writes the page's
# weight there) rewrites it and makes its copy then. No copy is made of it before.
UNFINISHED_MARK = b"<!--poids-page-->"


def gzip_bytes(data):
    """``data`` compressed as the ``.gz`` copy nginx's gzip_static sends (wbits 31: a gzip header)."""
    return zlib.compress(data, level=9, wbits=31)


def gzip_of(path, data):
    """``data``, to be written at ``path``, compressed: the copy of the site in place where it
    holds exactly these bytes (``previous_copy``), else compressed here."""
    return previous_copy(path, data) or gzip_bytes(data)


def write_gzip_copy(path, data=None, blob=None):
    """Write ``path + ".gz"`` from ``data`` (else the file's bytes), unless it would not be
    smaller (then no copy is left there); return the error, if any, in French. ``blob``: ``data`` already compressed."""
    try:
        if data is None:
            with open(path, "rb") as source:
                data = source.read()
        blob = blob if blob is not None else gzip_of(path, data)
        if len(blob) < len(data):
            output.replace_output(path + ".gz", blob)  # never a half-written copy in the output
        elif os.path.lexists(path + ".gz"):
            os.remove(path + ".gz")  # never a copy that says something else than the file
    except OSError as error:
        return f"{path} : {error}"
    return None


def previous_copy(path, data):
    """The ``.gz`` copy of ``path`` in the site that a build's fresh folder replaces, if it
    decompresses to exactly ``data``; else None (no such site, no copy, another file)."""
    previous = atomic.replaced_path(path + ".gz")
    if not previous or not os.path.isfile(previous) or os.path.islink(previous):
        return None
    try:
        with open(previous, "rb") as handle:
            blob = handle.read()
        stream = zlib.decompressobj(wbits=31)
        unpacked = stream.decompress(blob, len(data) + 1)  # never more than one byte beyond the file
        return blob if unpacked == data and stream.eof and not stream.unused_data else None
    except (OSError, zlib.error):
        return None
