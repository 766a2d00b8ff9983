"""The preview's promise, shared by its tests and the rehearsal: after a save, its
output folder holds what a fresh full build of the same content writes, byte for
byte (the search index and the status file aside)."""

import io
import re

from pressroom.build import site
from pressroom.preview import live as preview

# A fixed day: the agenda splits upcoming from past events on it, in both builds.
SETTINGS = {"search_index": False, "events_today": "2025-01-15"}
EXCLUDED = (preview.PREVIEW_SETTINGS["SEARCH_STATUS_SAVE_AS"],)
EMPTY_FEED_DATE = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")  # « now » in a feed with no item


def outputs(folder):
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir() or relative.startswith("pagefind/") or relative in EXCLUDED or relative.endswith(".gz"):
            continue
        data = path.read_bytes()
        if relative.endswith((".atom.xml", ".rss.xml")) and b"<entry>" not in data and b"<item>" not in data:
            data = EMPTY_FEED_DATE.sub(b"", data)
        files[relative] = data
    return files


def assert_same_as_full_build(output, content, tmp_path, step):
    settings = {k.lower(): v for k, v in preview.PREVIEW_SETTINGS.items()}
    full, messages = tmp_path / f"complet-{step}", io.StringIO()
    status = site.build(
        out=messages, path=str(content), output_path=str(full), cache_path=str(tmp_path / "cache-complet"),
        **settings, **SETTINGS,
    )  # fmt: skip
    assert status == 0, messages.getvalue()
    expected, got = outputs(full), outputs(output)
    assert sorted(got) == sorted(expected), (
        f"{step}: only in the preview {sorted(set(got) - set(expected))[:5]}, "
        f"only in the full build {sorted(set(expected) - set(got))[:5]}"
    )
    different = [name for name in expected if got[name] != expected[name]]
    assert not different, f"{step}: {different[:10]}"
