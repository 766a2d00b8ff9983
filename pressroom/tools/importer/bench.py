"""Import benchmark: synthetic saved pages of growing size, imported (dry run) and timed.

The time must grow in proportion to the size; ``invoke bench-import`` prints the table."""

import io
import pathlib
import tempfile
import time

from pressroom.content.registry import Registry
from pressroom.tools.importer.batch import import_paths

SIZES_MB = (1, 2, 5, 10)
# One paragraph of a plausible release: acronyms known and unknown, dates, an event, a place.
PARAGRAPH = (
    "<p>La Caisse Malienne de Sécurité Sociale (CMSS) et l’INPS ont tenu du 13 au 15 novembre 2019 à Bamako "
    "un atelier de formation sur la gestion des pensions, avec le concours du BIT et de la DNPSES {n}. "
    "Les participants, venus de Kayes, Ségou et Mopti, ont échangé sur l’AMO et le RAMED ; "
    "M. Moussa TRAORE a salué « une rencontre utile » &amp; rappelé le rôle de la CANAM.</p>\n"
)
PAGE_START = (
    "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Atelier CMSS – Site</title>"
    "<link rel='canonical' href='https://www.exemple.ml/2019/11/16/atelier-cmss/'></head><body>"
    "<nav class='menu'><a href='/'>Accueil</a></nav><article><h1>Atelier de la CMSS à Bamako</h1>"
    "<div class='entry-content'><p>Par Aminata Bocar SOW</p>\n"
)
PAGE_END = "</div></article><footer>Tous droits réservés</footer></body></html>\n"


def synthetic_page(megabytes):
    """A saved page of about ``megabytes`` MB: many paragraphs of one article."""
    target = int(megabytes * 1024 * 1024)
    parts, size, number = [PAGE_START], len(PAGE_START.encode()), 0
    while size < target:
        paragraph = PARAGRAPH.format(n=number)
        parts.append(paragraph)
        size += len(paragraph.encode())
        number += 1
    parts.append(PAGE_END)
    return "".join(parts)


def time_import(page, registry, folder):
    """(wall-clock seconds, processor seconds) to import one page (dry run: nothing written).
    The processor time does not count the waits for a busy machine's other processes."""
    path = pathlib.Path(folder) / "page.html"
    path.write_text(page, encoding="utf-8")
    content = pathlib.Path(folder) / "content"
    content.mkdir(exist_ok=True)
    started, started_cpu = time.perf_counter(), time.process_time()
    import_paths([path], content, registry, dry_run=True, out=io.StringIO(), progress=False)
    return time.perf_counter() - started, time.process_time() - started_cpu


def bench(registry_path, sizes=SIZES_MB, out=None):
    """Print a size / time table, and the seconds per megabyte (flat when time is linear)."""
    registry = Registry.load(registry_path)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in sizes:
            page = synthetic_page(megabytes)
            seconds, processor = time_import(page, registry, folder)
            rows.append((len(page.encode()) / 1024 / 1024, seconds, processor))
    print("Taille (Mo)  Durée (s)  s par Mo  Processeur (s)  s proc. par Mo", file=out)
    for megabytes, seconds, processor in rows:
        print(
            f"{megabytes:11.2f}  {seconds:9.2f}  {seconds / megabytes:8.2f}  {processor:14.2f}"
            f"  {processor / megabytes:14.2f}",
            file=out,
        )
    return rows
