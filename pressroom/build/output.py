"""The one writer of the output folder: every file under it is written here (an architecture
test, tests/unit/test_one_writer.py, forbids writing elsewhere), except the pages and feeds of
Pelican's writer (``pressroom.build.engine.Writer``), which Pelican announces itself
(``content_written``, ``feed_written``), and what Pelican's static generator copies.

Files that our generators write beside the templates' pages (sitemap, robots.txt, iCalendar,
photos' variants) are announced on the ``written`` signal (the preview server keeps track of
what the site holds; the manifest plugin lists what reaches the output). A copy of a file (the
.gz copies) is announced with ``copy_of``, the file copied."""

import functools
import os
import shutil

import blinker

written = blinker.signal("pressroom.build.output.written")
# Sent by the build's runner (pressroom.build.site) with the build's settings once Pelican has returned:
# every file is written, whatever the order in which a signal's receivers ran (blinker keeps them in a
# set, so two receivers of ``deploy`` have no order). The manifest is closed then.
finished = blinker.signal("pressroom.build.output.finished")


# Sent with the path of a file that ``write_output`` is about to make, and ``make``, a function of
# no argument that makes and writes it: a receiver that returns True takes the file over and calls
# ``make`` itself, later (the preview server's writer, between two saves). Nothing else to tell.
offered = blinker.signal("pressroom.build.output.offered")


def write_output(output_path, save_as, data):
    """Write ``data`` (bytes, or text written as UTF-8) to ``output_path/save_as``.

    ``data`` may be a function of no argument that makes them, so that a writer that takes
    the file over (``offered``) makes them only when it writes them."""
    path = os.path.abspath(os.path.join(output_path, save_as))
    make = functools.partial(_write, path, data)
    if not any(taken for _, taken in offered.send(path, make=make)):
        make()


def rewrite_output(output_path, save_as, data):
    """Write ``data`` over a file of the output that its own writer already announced (a finishing
    step: the weight written into a page); announced as a rewrite, not as a second writer."""
    _write(os.path.join(output_path, save_as), data, rewrite=True)


def _write(path, data, unchanged=None, **announced):
    """Write ``data`` (made first if it is a function) to ``path``, and announce it; with
    ``unchanged`` (the preview's writer), leave the file as it is when ``unchanged(bytes)``.
    Whether it was written."""
    if callable(data):
        data = data()
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    if unchanged is not None and unchanged(data):
        return False
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data)
    written.send(path, **announced)
    return True


def replace_output(path, data):
    """Write ``path`` whole or not at all, through a partial file beside it (a browser or a worker
    never reads half a file), without announcing it: for a file announced otherwise (a page of the
    preview's writer, a .gz copy made in a worker process and announced with ``copy_of``)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    partial = f"{path}.{os.getpid()}.partiel"
    with open(partial, "wb") as handle:
        handle.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    os.replace(partial, path)


def copy_output(source, path):
    """Copy the file ``source`` to ``path`` in the output folder, as it is."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(source, path)
    written.send(path)


def replace_folder(source, folder, announce=True):
    """Put the files of the folder ``source``, which is never written into again (a cache whose new
    versions are new folders), at ``folder`` of the output, in place of what was there, and announce
    each file, unless the caller keeps the folder itself (the preview server)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder, copy_function=link_or_copy)
    if announce:
        declare_folder(folder)


def link_or_copy(source, target):
    """A hard link to ``source``: on this kind of disk, making 100,000 copies of a search index's
    small files took 90 s of a build, and their links a tenth of that; a copy where the two folders
    are on different file systems."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def declare_folder(folder):
    """Announce every file of ``folder``, which a program of ours filled (Pagefind, the editor)."""
    for parent, _, names in os.walk(folder):
        for name in sorted(names):
            written.send(os.path.join(parent, name))


def files_and_links(folder):
    """Relative path (with /) -> whether it is a symbolic link, for every file and every link
    (to a file or a folder, never followed) under ``folder``."""
    found = {}
    for parent, subfolders, names in os.walk(folder):
        for name in subfolders + names:
            path = os.path.join(parent, name)
            is_link = os.path.islink(path)
            if is_link or name in names:
                found[os.path.relpath(path, folder).replace(os.sep, "/")] = is_link
    return found


def copy_made_photo(made, output_path, folder):
    """Write the files of ``made`` (not its cache mark) under ``folder`` of the output."""
    for name in made.sizes:
        copy_file_to_output(os.path.join(made.folder, name), output_path, f"{folder}/{name}")


def copy_file_to_output(path, output_path, save_as):
    """The file at ``path`` written at ``save_as`` of the output (through ``write_output``)."""
    with open(path, "rb") as source:
        write_output(output_path, save_as, source.read())
