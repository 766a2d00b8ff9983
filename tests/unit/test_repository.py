"""Nothing generated is tracked: the list server's data and logs, the built site, the caches."""

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
GENERATED = ["var", "output", "cache", ".venv", "node_modules", "test-artifacts", ".hypothesis", "build"]


def tracked(folder):
    done = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--", folder], capture_output=True, text=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="pas un dépôt git")
@pytest.mark.parametrize("folder", GENERATED)
def test_a_generated_folder_is_neither_tracked_nor_addable(folder):
    assert tracked(folder) == []
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", f"{folder}/x"], check=False)
    assert ignored.returncode == 0, f"{folder}/ manque dans .gitignore"


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="pas un dépôt git")
def test_a_new_file_in_a_tracked_folder_is_not_ignored():
    """A pattern of .gitignore written too wide (« build/ » for /build/) would hide pressroom/build/'s next module."""
    folders = {str(pathlib.PurePosixPath(path).parent) for path in tracked(".")} - {"."}
    asked = "".join(f"{folder}/nouveau.py\n" for folder in sorted(folders) if "fixtures" not in folder)
    done = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "--stdin"], input=asked, capture_output=True, text=True
    )
    assert done.stdout.split() == []
