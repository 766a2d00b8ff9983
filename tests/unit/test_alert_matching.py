"""The e-mail alert job's pure parts: which addresses are local, how releases are matched."""

import datetime

import pytest

from pressroom import alerts
from pressroom.alert_messages import Release


@pytest.mark.parametrize(
    "address",
    [
        "tag:127.0.0.1,2024-10-08:/2024/10/x/",
        "http://127.0.0.1:8000/2024/10/x/",
        "http://localhost:8000/",
        "http://[::1]/",
        "tag:localhost,2024-10-08:/x/",
        "http://0.0.0.0/",
        "/2024/10/x/",
        "",
    ],
)
def test_local_addresses(address):
    assert alerts.is_local(address)


@pytest.mark.parametrize(
    "address", ["https://presse.example.org/2024/10/x/", "tag:presse.example.org,2024-10-08:/2024/10/x/"]
)
def test_public_addresses(address):
    assert not alerts.is_local(address)


def release(path="/2025/01/bareme/", title="Barème", day=30, uid=None):
    published = datetime.datetime(2025, int(path.split("/")[2]), day, tzinfo=datetime.UTC)
    uid = uid or f"tag:x.org,{published:%Y-%m-%d}:{path}"
    return Release(uid, "https://x.org" + path, path, title, "Chapô.", published)


def test_a_release_keeps_matching_through_successive_corrections(tmp_path):
    state = alerts.State(tmp_path / "etat.json", {})
    since = datetime.date(2025, 1, 20)
    first = release()
    state.add("annonces", "INPS", first, alerts.SENT, datetime.datetime(2025, 2, 1, tzinfo=datetime.UTC))
    slug_changed = release(path="/2025/01/bareme-2025/")
    record = state.find("annonces", "INPS", slug_changed, set(alerts.keys_of(slug_changed).values()), since)
    assert record is not None and alerts.State.remember(record, slug_changed)
    moved = release(path="/2025/02/bareme-2025/", title="Barème corrigé", day=2)  # id, path and date-title all new
    assert state.find("annonces", "INPS", moved, set(alerts.keys_of(moved).values()), since) is record
    other = release(path="/2025/02/autre/", title="Autre", day=3)
    assert state.find("annonces", "INPS", other, set(alerts.keys_of(other).values()), since) is None
