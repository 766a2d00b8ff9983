"""A hostile or careless registry stops `invoke lint` and the build alike: one French
line with file and line, a non-zero exit, no traceback, and the output of the
previous good build left as it was."""

import hashlib
import io
import shutil

import pytest
from conftest import FIXTURE_SITE, ROOT, build_site

from pressroom.build import lint

BROKEN = ROOT / "tests" / "broken" / "registre"

# The cases of issue 14, and the line each must produce (after the file name).
EXPECTED = {
    "sigle-en-double.yml": ":12: CMSS: sigle: sigle déjà présent ligne 2 — ",
    "sigle-variante-d-une-autre.yml": ":11: INPS: variantes: « Cmss » désigne déjà CMSS (sigle, ligne 2) — ",
    "variantes-texte.yml": ":6: AMAMUS: variantes: doit être une liste, pas « CMSS » — ",
    "liste.yml": ":2: registre: le registre doit être une liste de sigles suivis de deux-points (CMSS:, INPS: …)",
    "vide.yml": ":1: registre: registre vide — ",
    "champ-en-double.yml": ":6: CMSS: nom: champ écrit deux fois (déjà ligne 3) — ",
    "champ-inconnu.yml": ":6: CMSS: variante: champ inconnu — vouliez-vous dire « variantes » ?",
    # Issue 23: bounded work, and values that the pages can hold.
    "fusion-yaml.yml": ":2: syntaxe: ancre ou renvoi YAML (&nom, *nom) refusé — recopiez la valeur",
    "cle-de-fusion.yml": ":4: syntaxe: fusion YAML (<<:) refusée — écrivez chaque champ en toutes lettres",
    "courriel-sur-deux-lignes.yml": ":7: CMSS: contact_presse: courriel: retour à la ligne dans la valeur — ",
    "diffusion-compte.yml": ":7: CMSS: diffusion: telegram: compte « cmss_officiel » refusé — écrivez le nom public",
}


def snapshot(folder):
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """The real site, built once; each hostile registry is then built into the same folder."""
    output = tmp_path_factory.mktemp("registry-gate") / "output"
    built = build_site(FIXTURE_SITE, output)
    assert built.status == 0, built.messages
    return output, snapshot(output)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_registry_stops_lint_and_build(content_copy, good_build, name):
    output, before = good_build
    shutil.copy(BROKEN / name, content_copy / "institutions.yml")
    expected = f"content/institutions.yml{EXPECTED[name]}"

    messages = io.StringIO()
    status = lint.run(out=messages, path=str(content_copy))
    assert status != 0
    assert expected in messages.getvalue()
    assert "Traceback" not in messages.getvalue()

    built = build_site(content_copy, output)
    assert built.status != 0
    assert expected in built.messages
    assert "Traceback" not in built.messages
    assert snapshot(output) == before  # nothing written, nothing deleted
