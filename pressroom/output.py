"""Files that our generators write beside the templates' pages (sitemap,
robots.txt, iCalendar), under the output folder."""

import os


def write_output(output_path, save_as, data):
    """Write ``data`` (bytes, or text written as UTF-8) to ``output_path/save_as``."""
    path = os.path.join(output_path, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as output:
        output.write(data if isinstance(data, bytes) else data.encode("utf-8"))
