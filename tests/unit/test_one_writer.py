"""One writer of the output folder (pressroom/build/output.py): no other module of pressroom/ or
plugins/ opens a file for writing, writes a path, copies, moves or replaces a file, except the
modules below, which write elsewhere (each with its reason)."""

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
WRITER = "pressroom/build/output.py"

WRITE_ELSEWHERE = {
    "pressroom/build/atomic.py": "swaps whole output folders (the fresh build for the previous one) and its state file",
    "pressroom/build/cache.py": "the reader cache's stamp and the checked bodies, under CACHE_PATH",
    "pressroom/build/searchindex.py": "the search records given to Pagefind and the shards' bundles, under CACHE_PATH",
    "pressroom/build/mediakit.py": "the press kits' zip files, made once under CACHE_PATH",
    "pressroom/build/report.py": "the traceback of an unforeseen error, under CACHE_PATH",
    "pressroom/content/images.py": "the photos' variants, made under CACHE_PATH (output.copy_made_photo copies them)",
    "pressroom/content/embargo.py": "an article's source (`invoke embargo`)",
    "pressroom/content/addresses.py": "the list of published addresses in content/ and in the forge's working copy",
    "pressroom/publish/host.py": "the production build's private folder and its state",
    "pressroom/publish/bucket.py": "the lists of files given to rclone, in the production build's private folder",
    "pressroom/tools/bench.py": "the benchmark's generated sites, in a temporary folder",
    "pressroom/tools/new.py": "a new article's source (`invoke new`)",
    "pressroom/tools/guide.py": "the schema's field tables in docs/ and the editor's preview (`invoke guide`)",
    "pressroom/tools/importer/batch.py": "the imported articles' sources",
    "pressroom/tools/importer/bench.py": "the importer benchmark's pages, in a temporary folder",
}

WRITING_MODES = set("wax+")
WRITING_CALLS = {
    None: {"write_text", "write_bytes"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "move"},
    "os": {"replace", "rename"},
    "tempfile": {"mkstemp", "NamedTemporaryFile"},
}


def mode_of(call):
    """The mode given to open() (or os.fdopen, Path.open), when it is written as a literal."""
    mode = call.args[1] if len(call.args) > 1 else None
    mode = next((k.value for k in call.keywords if k.arg == "mode"), mode)
    if isinstance(call.func, ast.Attribute) and call.func.attr == "open" and call.args and mode is None:
        mode = call.args[0]  # Path.open(mode)
    return mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else ""


def writes(tree):
    """(line, what) of every call that writes a file."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        owner = getattr(getattr(node.func, "value", None), "id", None)
        if name in ("open", "fdopen") and WRITING_MODES & set(mode_of(node)):
            yield node.lineno, f"{name}(…, {mode_of(node)!r})"
        elif name in WRITING_CALLS[None] or name in WRITING_CALLS.get(owner, ()):
            yield node.lineno, f"{owner}.{name}" if owner in WRITING_CALLS else name


def sources():
    for folder in ("pressroom", "plugins"):
        yield from sorted((ROOT / folder).rglob("*.py"))


def test_only_the_writer_writes():
    found = [
        f"{relative}:{line}: {what}"
        for source in sources()
        if (relative := source.relative_to(ROOT).as_posix()) != WRITER and relative not in WRITE_ELSEWHERE
        for line, what in writes(ast.parse(source.read_text(encoding="utf-8")))
    ]
    assert found == []


def test_each_module_allowed_to_write_elsewhere_still_writes():
    idle = [
        module for module in WRITE_ELSEWHERE if not list(writes(ast.parse((ROOT / module).read_text(encoding="utf-8"))))
    ]
    assert idle == []


def test_the_check_sees_each_way_of_writing():
    code = """
open(p, "w"); open(p, mode="ab"); pathlib.Path(p).open("x"); os.fdopen(h, "w+")
p.write_text(t); p.write_bytes(b); shutil.copyfile(a, b); shutil.copytree(a, b); os.replace(a, b)
open(p); open(p, "rb"); text.replace(a, b); values.copy()
"""
    assert len(list(writes(ast.parse(code)))) == 9
