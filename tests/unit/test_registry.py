import pathlib

import pytest

from pressroom.registry import Registry, RegistryError

REGISTRY = pathlib.Path(__file__).resolve().parents[2] / "content" / "institutions.yml"


@pytest.fixture(scope="module")
def registry():
    return Registry.load(REGISTRY)


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


def test_entry_without_name_is_reported(tmp_path):
    path = tmp_path / "r.yml"
    path.write_text("ABC:\n  pays: Mali\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="ABC: champ « nom » manquant"):
        Registry.load(path)
