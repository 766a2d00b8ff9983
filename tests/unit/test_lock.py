"""requirements.txt is the lock of pyproject.toml (`invoke lock`): every dependency that pyproject names
is pinned to one exact version, and every pin is needed by one of them (read offline, from the metadata
of the installed packages)."""

import importlib.metadata
import pathlib
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = pathlib.Path(__file__).resolve().parents[2]


def declared():
    """The requirements that pyproject.toml names: the dependencies and the extras'."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    named = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(text) for text in named]


def pins():
    """{name: version} of requirements.txt; every requirement line is an exact pin."""
    found = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            assert len(requirement.specifier) == 1 and next(iter(requirement.specifier)).operator == "==", line
            found[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return found


def needed(requirement, extras=()):
    """Whether ``requirement`` (of a package installed with ``extras``) applies here."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in (*extras, ""))


def reachable(roots):
    """The names of every package that ``roots`` need, through the installed packages' metadata."""
    seen, todo = set(), list(roots)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for text in importlib.metadata.requires(requirement.name) or []:
            dependency = Requirement(text)
            if needed(dependency, requirement.extras):
                todo.append(dependency)
    return seen


def test_every_dependency_of_pyproject_is_pinned():
    assert sorted(canonicalize_name(r.name) for r in declared() if canonicalize_name(r.name) not in pins()) == []


def test_every_pin_is_needed_by_a_dependency_of_pyproject():
    assert sorted(set(pins()) - reachable(declared())) == []
