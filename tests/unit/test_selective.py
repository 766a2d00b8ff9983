"""The preview's fingerprints: what makes an output change, and what does not."""

import dataclasses
import datetime

from pelican.contents import Article

from pressroom.preview.selective import Fingerprints


def article():
    return Article.__new__(Article)  # an article object: identity is all a fingerprint reads of it


@dataclasses.dataclass
class Event:
    article: object


@dataclasses.dataclass
class Month:
    first: datetime.date
    events: list
    weeks: list = dataclasses.field(compare=False)
    previous: "Month" = dataclasses.field(default=None, compare=False)


class Institution:
    def __init__(self, name, articles):
        self.name, self.articles, self._cache = name, articles, object()


def fingerprint(value):
    fingerprints = SHARED
    fingerprints.start_pass()
    return fingerprints.of(value)


SHARED = Fingerprints()


def test_articles_count_by_identity_and_order():
    first, second = article(), article()
    assert fingerprint([first, second]) == fingerprint([first, second])
    assert fingerprint([first, second]) != fingerprint([second, first])
    assert fingerprint([first]) != fingerprint([article()])  # an article read again is a new object


def test_objects_count_by_public_attributes_and_articles_inside_by_number():
    articles = [article(), article()]
    assert fingerprint(Institution("CMSS", articles)) == fingerprint(Institution("CMSS", [article(), article()]))
    assert fingerprint(Institution("CMSS", articles)) != fingerprint(Institution("CMSS", articles[:1]))
    assert fingerprint(Institution("CMSS", articles)) != fingerprint(Institution("INPS", articles))


def test_dataclasses_count_by_the_fields_they_compare():
    day, event = datetime.date(2024, 10, 1), Event(article())
    one = Month(day, [event], weeks=[1, 2], previous=Month(day, [], []))
    assert fingerprint(one) == fingerprint(Month(day, [event], weeks=[3]))
    assert fingerprint(one) != fingerprint(Month(day, [Event(article())], weeks=[1, 2]))
