"""Files that our generators write beside the templates' pages (sitemap,
robots.txt, iCalendar), under the output folder. Each write is announced on
the ``written`` signal (the preview server keeps track of what the site holds)."""

import os
import shutil

import blinker

written = blinker.signal("pressroom.output.written")


def write_output(output_path, save_as, data, writer=None, inputs=None):
    """Write ``data`` (bytes, or text written as UTF-8) to ``output_path/save_as``.

    ``data`` may be a function of no argument that makes them. Given the build's
    ``writer`` and the ``inputs`` the data are made from, a writer that writes only
    what changed (the preview server's, with ``write_if_changed``) calls it only
    when they differ from the last time."""
    path = os.path.join(output_path, save_as)
    select = getattr(writer, "write_if_changed", None)
    if select is not None and inputs is not None:
        select(path, inputs, lambda: _write(path, data))
    else:
        _write(path, data)


def _write(path, data):
    if callable(data):
        data = data()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    written.send(path)


def copy_output(source, target):
    """Copy the file ``source`` to ``target`` in the output folder, announced like every other write
    (a copy the preview did not hear of would be removed as stale)."""
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(source, target)
    written.send(target)
