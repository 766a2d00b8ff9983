"""Files that our generators write beside the templates' pages (sitemap,
robots.txt, iCalendar, photos' variants), under the output folder. Each write
is announced on the ``written`` signal (the preview server keeps track of what
the site holds; the manifest plugin lists what reaches the output). A copy
of a file (the .gz copies) is announced with ``copy_of``, the file copied."""

import os
import shutil

import blinker

written = blinker.signal("pressroom.build.output.written")
# Sent by the build's runner (pressroom.build.site) with the build's settings once Pelican has returned:
# every file is written, whatever the order in which a signal's receivers ran (blinker keeps them in a
# set, so two receivers of ``deploy`` have no order). The manifest is closed then.
finished = blinker.signal("pressroom.build.output.finished")


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


def rewrite_output(output_path, save_as, data):
    """Write ``data`` over a file of the output that its own writer already announced (a finishing
    step: the weight written into a page); announced as a rewrite, not as a second writer."""
    _write(os.path.join(output_path, save_as), data, rewrite=True)


def _write(path, data, **announced):
    if callable(data):
        data = data()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    written.send(path, **announced)


def copy_output(source, path):
    """Copy the file ``source`` to ``path`` in the output folder, as it is."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(source, path)
    written.send(path)


def replace_folder(source, folder, announce=True):
    """Put a copy of the folder ``source`` at ``folder`` of the output, in place of what was there,
    and announce each file, unless the caller keeps the folder itself (the preview server)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, folder)
    if announce:
        declare_folder(folder)


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
