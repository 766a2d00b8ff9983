"""The institution registry: lookups without case or accents, and every hostile or
careless registry of tests/broken/registre/ refused with one French line per problem."""

import pathlib
import re

import pytest
import yaml
from conftest import FIXTURE_SITE

from pressroom.content import schema
from pressroom.content.header import Entry
from pressroom.content.registry import DuplicateKeyError, Registry, RegistryError, UniqueKeyLoader

ROOT = pathlib.Path(__file__).resolve().parents[2]
REGISTRY = FIXTURE_SITE / "institutions.yml"
BROKEN = ROOT / "tests" / "broken" / "registre"

# One hostile registry per problem, and the line it must produce (after the file name).
EXPECTED = {
    "sigle-en-double.yml": ":12: CMSS: sigle: sigle déjà présent ligne 2 — une institution ne figure qu'une fois",
    "sigle-variante-d-une-autre.yml": ":11: INPS: variantes: « Cmss » désigne déjà CMSS (sigle, ligne 2) — ",
    "nom-en-double.yml": ":8: CNAM: nom: « caisse nationale d'assurance maladie » désigne déjà CANAM (nom, ligne 3)",
    "variantes-texte.yml": ":6: AMAMUS: variantes: doit être une liste, pas « CMSS » — écrivez les variantes entre",
    "liste.yml": ":2: registre: le registre doit être une liste de sigles suivis de deux-points (CMSS:, INPS: …)",
    "vide.yml": ":1: registre: registre vide — ajoutez les institutions",
    "fichier-vide.yml": ":1: registre: registre vide — ajoutez les institutions",
    "champ-en-double.yml": ":6: CMSS: nom: champ écrit deux fois (déjà ligne 3) — gardez une seule ligne « nom: »",
    "champ-inconnu.yml": ":6: CMSS: variante: champ inconnu — vouliez-vous dire « variantes » ?",
    "sans-nom.yml": ":2: CMSS: nom: champ obligatoire absent ou vide — ajoutez « nom: »",
    "site-javascript.yml": ":5: CMSS: site: adresse refusée « javascript:alert(1) » — écrivez une adresse complète",
    "contact-texte.yml": ":6: INPS: contact_presse: doit être une liste de champs (nom, courriel, telephone) — ",
    "encodage-latin1.yml": ":2: fichier: caractère illisible : le fichier n'est pas en UTF-8 — enregistrez",
    "tabulation.yml": ":3: syntaxe: tabulation en retrait — remplacez-la par des espaces",
    "fusion-yaml.yml": ":2: syntaxe: ancre ou renvoi YAML (&nom, *nom) refusé — recopiez la valeur",
    "cle-de-fusion.yml": ":4: syntaxe: fusion YAML (<<:) refusée — écrivez chaque champ en toutes lettres",
    "courriel-sur-deux-lignes.yml": ":7: CMSS: contact_presse: courriel: retour à la ligne dans la valeur — ",
    "diffusion-compte.yml": ":7: CMSS: diffusion: telegram: compte « cmss_officiel » refusé — écrivez le nom public",
}

# fichier:ligne: champ: problème — comment corriger
PROBLEM_LINE = re.compile(r"^\S+\.yml:\d+: [^\n]+: [^\n]+ — [^\n]+$")


@pytest.fixture(scope="module")
def registry():
    return Registry.load(REGISTRY)


def refusal(path):
    with pytest.raises(RegistryError) as raised:
        Registry.load(path)
    return raised.value


def write(tmp_path, text):
    path = tmp_path / "institutions.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, acronym",
    [
        ("CMSS", "CMSS"),
        ("Cmss", "CMSS"),
        (" cmss ", "CMSS"),
        ("Caisse Nationale d'Assurance Maladie", "CANAM"),
        ("caisse nationale d’assurance maladie", "CANAM"),
        ("cares-mali", "CARES-Mali"),
        ("Agence Malienne de Mutualité", "AMAMUS"),
        ("Agence Nationale de la Couverture Maladie Universelle", "ANACMU"),
    ],
)
def test_find_without_case_or_accents(registry, name, acronym):
    assert registry.find(name).acronym == acronym


def test_unknown_name(registry):
    assert registry.find("XYZ") is None


def test_every_entry_has_name_country_and_description(registry):
    for institution in registry:
        assert institution.name and institution.country and institution.description


def test_every_hostile_registry_has_an_expected_message():
    assert sorted(p.name for p in BROKEN.glob("*.yml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_registry_is_refused_with_its_line(name):
    error = refusal(BROKEN / name)
    lines = str(error).splitlines()
    assert lines == [str(problem) for problem in error.problems]
    assert any(line.endswith(f"{name}{EXPECTED[name]}") or f"{name}{EXPECTED[name]}" in line for line in lines)
    assert all(PROBLEM_LINE.match(line) for line in lines), lines


def test_an_impostor_is_reported_once_and_never_replaces_the_first_entry():
    error = refusal(BROKEN / "sigle-en-double.yml")
    assert len(error.problems) == 1


def test_a_variant_string_is_not_split_into_letters(tmp_path):
    error = refusal(BROKEN / "variantes-texte.yml")
    assert len(error.problems) == 1  # neither C, M nor S became an alias of AMAMUS


def test_every_problem_of_the_file_is_reported_at_once(tmp_path):
    path = write(
        tmp_path,
        "CMSS:\n"  # 1
        "  nom: Caisse Malienne de Sécurité Sociale\n"
        "  pays: Mali\n"
        "  contact_presse:\n"
        "    telephone: +22320223344\n"  # 5: a number, the + would be lost
        "  description: {a: 1, a: 2}\n"  # 6: a key twice, deep inside a value
        "  variantes: [12, INPS]\n"  # 7: not a text; another institution's acronym
        "INPS:\n"  # 8
        "  nom: 2024\n"  # 9
        "  site: ftp://inps.example\n"  # 10
        "  sites: x\n"  # 11
        "C.M.S.S:\n"  # 12: the same page address as CMSS
        "  nom: Autre caisse\n",
    )
    shown = [line.split(str(path))[1] for line in str(refusal(path)).splitlines()]
    assert [line.split(" — ")[0] for line in shown] == [
        ":5: CMSS: contact_presse: telephone: doit être un texte, pas « +22320223344 »",
        ":6: CMSS: description: clé « a » écrite deux fois (déjà ligne 6)",
        ":7: CMSS: variantes: variante vide ou qui n'est pas un texte : « 12 »",
        ":8: INPS: sigle: « INPS » désigne déjà CMSS (variantes, ligne 7)",
        ":9: INPS: nom: doit être un texte, pas « 2024 »",
        ":10: INPS: site: adresse refusée « ftp://inps.example »",
        ":11: INPS: sites: champ inconnu",
        ":12: C.M.S.S: sigle: même adresse de page (institutions/cmss/) que CMSS (ligne 1)",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "CMSS:\n  nom: [Caisse\n  pays: Mali\n",
            ":3: syntaxe: syntaxe YAML invalide (colonne 7, dans ce qui commence ligne 2)",
        ),
        ("CMSS:\n  nom: a: b\n", ":2: syntaxe: syntaxe YAML invalide (colonne 9)"),
        ("A:\n  nom: x\n---\nB:\n  nom: y\n", ":3: syntaxe: second document YAML (« --- »)"),
        ("Bonjour\n", ":1: registre: le registre doit être une liste de sigles"),
        ("{}\n", ":1: registre: registre vide"),
        ("CMSS: Caisse Malienne\n", ":1: CMSS: l'entrée doit être une liste de champs"),
        ("'!!':\n  nom: Rien\n", ":1: !!: sigle: le sigle ne contient ni lettre ni chiffre"),
        ("X:\n  nom: !!python/object/apply:os.system [ls]\n", ":2: X: nom: valeur illisible"),
        ("X:\n  nom: !!int abc\n", ":2: X: nom: valeur illisible"),
        ("X:\n  nom: Caisse\n  pays: 2024-13-45\n", ":3: X: pays: valeur illisible"),
        ("X:\n  nom: '   '\n", ":2: X: nom: champ obligatoire absent ou vide"),
        ("CMSS:\n  nom: A\n'CMSS ':\n  nom: B\n", ":3: CMSS: sigle: « CMSS » désigne déjà CMSS (sigle, ligne 1)"),
    ],
)
def test_malformed_registry(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert f"{path}{expected}" in str(refusal(path))


def test_missing_file(tmp_path):
    assert "registre des institutions illisible" in str(refusal(tmp_path / "absent.yml"))


def test_a_complete_entry_is_read(tmp_path):
    path = write(
        tmp_path,
        "INPS:\n"
        "  nom: Institut National de Prévoyance Sociale\n"
        "  pays: Mali\n"
        "  site: https://www.inps.ml\n"
        "  description: Sécurité sociale du secteur privé.\n"
        "  variantes:\n"
        "    - Institut de Prévoyance Sociale\n"
        "  contact_presse:\n"
        "    nom: Service communication\n"
        '    telephone: "+223 20 00 00 00"\n'
        "CMSS:\n"
        "  nom: Caisse Malienne de Sécurité Sociale\n"
        "  variantes: []\n"
        "  contact_presse:\n",
    )
    registry = Registry.load(path)
    inps = registry.find("institut de prevoyance sociale")
    assert (inps.acronym, inps.website, inps.aliases) == (
        "INPS",
        "https://www.inps.ml",
        ("Institut de Prévoyance Sociale",),
    )
    assert inps.press_contact == (("nom", "Service communication"), ("telephone", "+223 20 00 00 00"))
    assert registry.find("CMSS").aliases == () and registry.find("CMSS").press_contact == ()


def test_the_loader_refuses_a_key_written_twice_at_any_depth():
    with pytest.raises(DuplicateKeyError) as raised:
        yaml.load("a:\n  b:\n    c: 1\n    c: 2\n", Loader=UniqueKeyLoader)
    assert raised.value.problem_mark.line + 1 == 4
    assert yaml.load("a: {b: 1, c: 2}\n", Loader=UniqueKeyLoader) == {"a": {"b": 1, "c": 2}}


def test_a_typo_in_the_e_mail_lists_is_reported_by_the_registry_itself(tmp_path):
    """Not only by `invoke alertes`: lint and the build, which write the mailto links, see it too."""
    path = write(
        tmp_path,
        "INPS:\n  nom: Institut National de Prévoyance Sociale\n  alertes:\n"
        "    anonces: inps@listes.example.org\n    quotidien: inps quotidien\n",
    )
    with pytest.raises(RegistryError) as raised:
        Registry.load(path)
    lines = str(raised.value).splitlines()
    assert any(":4: alertes: INPS : clé inconnue « anonces » — clés possibles : annonces" in line for line in lines)
    assert any(":5: alertes: INPS : quotidien : adresse e-mail invalide « inps quotidien »" in line for line in lines)


@pytest.mark.parametrize(
    "address", ["https://www.cmss.ml", "http://cmss.ml/presse", "javascript:alert(1)", "https://", "www.cmss.ml"]
)
def test_a_registry_site_follows_the_rule_of_an_articles_web_address(tmp_path, address):
    """One rule per kind: the registry's « site » is refused exactly when an article's Source is."""
    source = schema.field("Source")
    entry = Entry("Source", [address], 1)
    article_refuses = bool(source.kind.check(entry, source, schema.Check("a.md", "a.md", None, {}, None)))
    path = write(tmp_path, f'CMSS:\n  nom: Caisse Malienne de Sécurité Sociale\n  site: "{address}"\n')
    if article_refuses:
        assert "CMSS: site: adresse refusée" in str(refusal(path))
    else:
        assert Registry.load(path).find("CMSS").website == address
