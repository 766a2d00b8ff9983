"""Related releases (pressroom.content.related): what an article shares decides, the most recent come first,
an article is never its own relative, and the bench prints the time at its sizes."""

import datetime
import re
import types

from pressroom.content import related
from pressroom.tools import bench


def article(day, institutions=(), tags=(), event=""):
    return types.SimpleNamespace(
        date=datetime.datetime(2024, 1, day),
        institutions=[types.SimpleNamespace(acronym=a) for a in institutions],
        tags=list(tags),
        metadata={"event": event},
        name=f"jour {day}",
    )


def names(found, item):
    return [other.name for other in found[id(item)]]


def test_the_three_that_share_most_most_recent_first():
    subject = article(10, ["CMSS", "UNTM"], ["formation"], "Atelier")
    same_event = article(2, ["INPS"], [], "atelier")  # event names compared without case
    two_things = article(3, ["CMSS"], ["Formation"])
    institution_only = article(20, ["UNTM"])
    institution_too = article(21, ["CMSS"])
    nothing = article(22, ["RMA"], ["santé"])
    found = related.related_releases([subject, same_event, two_things, institution_only, institution_too, nothing])
    # scores 4 (event), 3 (institution and theme), then 1 for the two that share an institution: of those,
    # the nearer in time; shown most recent first
    assert names(found, subject) == ["jour 20", "jour 3", "jour 2"]
    assert names(found, nothing) == []


def test_never_itself_and_at_most_three():
    items = [article(day, ["CMSS"], ["retraite"]) for day in range(1, 11)]
    found = related.related_releases(items)
    for item in items:
        assert item not in found[id(item)] and len(found[id(item)]) == 3


def test_bench_prints_the_related_time_at_each_size():
    lines = bench.related_lines([50, 100])
    assert [int(re.search(r"\((\d+) articles", line)[1]) for line in lines] == [50, 100]
    assert all(re.search(r": \d+\.\d\d s de processeur, \d+ µs par article$", line) for line in lines)
