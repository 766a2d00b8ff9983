"""Gzip as our server sends it: level 9, a header with no file name and no time,
so that the same bytes give the same copy on every build (plugins/gzip_copies
writes the ``.gz`` copies; plugins/lite measures pages with the same bytes)."""

import os
import zlib

from pressroom.build import output

# A page holding this mark is not finished: a later step (plugins/lite, which writes the page's
# weight there) rewrites it and makes its copy then. No copy is made of it before.
UNFINISHED_MARK = b"<!--poids-page-->"


def gzip_bytes(data):
    """``data`` compressed as the ``.gz`` copy nginx's gzip_static sends (wbits 31: a gzip header)."""
    return zlib.compress(data, level=9, wbits=31)


def write_gzip_copy(path, data=None, blob=None):
    """Write ``path + ".gz"`` from ``data`` (else the file's bytes), unless it would not be
    smaller (then no copy is left there); return the error, if any, in French. ``blob``: ``data`` already compressed."""
    try:
        if data is None:
            with open(path, "rb") as source:
                data = source.read()
        blob = blob if blob is not None else gzip_bytes(data)
        if len(blob) < len(data):
            output.replace_output(path + ".gz", blob)  # never a half-written copy in the output
        elif os.path.lexists(path + ".gz"):
            os.remove(path + ".gz")  # never a copy that says something else than the file
    except OSError as error:
        return f"{path} : {error}"
    return None
