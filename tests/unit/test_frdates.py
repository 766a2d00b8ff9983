import datetime

import pytest

from pressroom.content import frdates


@pytest.mark.parametrize(
    "value, expected",
    [
        (datetime.date(2024, 10, 8), "mardi 8 octobre 2024"),
        (datetime.datetime(2019, 11, 1, 10, 30), "vendredi 1er novembre 2019"),
        (datetime.date(2022, 8, 15), "lundi 15 août 2022"),
    ],
)
def test_long_date(value, expected):
    assert frdates.long_date(value) == expected


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ((2019, 11, 13), (2019, 11, 15), "du 13 au 15 novembre 2019"),
        ((2019, 7, 1), (2019, 7, 5), "du 1er au 5 juillet 2019"),
        ((2019, 11, 30), (2019, 12, 2), "du 30 novembre au 2 décembre 2019"),
        ((2019, 12, 30), (2020, 1, 2), "du 30 décembre 2019 au 2 janvier 2020"),
        ((2022, 12, 7), (2022, 12, 7), "le 7 décembre 2022"),
        ((2022, 12, 7), None, "le 7 décembre 2022"),
    ],
)
def test_date_range(start, end, expected):
    end = datetime.date(*end) if end else None
    assert frdates.date_range(datetime.date(*start), end) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-10-08", datetime.datetime(2024, 10, 8)),
        ("2024-10-08 10:30", datetime.datetime(2024, 10, 8, 10, 30)),
        ("8 octobre 2024", datetime.datetime(2024, 10, 8)),
        ("1er novembre 2019", datetime.datetime(2019, 11, 1)),
        ("mardi 8 octobre 2024 à 10h30", datetime.datetime(2024, 10, 8, 10, 30)),
        ("Mardi 8 Octobre 2024 à 10 h 30", datetime.datetime(2024, 10, 8, 10, 30)),
        ("15 aout 2022", datetime.datetime(2022, 8, 15)),
        ("15 août 2022", datetime.datetime(2022, 8, 15)),
        ("3 févr. 2023", datetime.datetime(2023, 2, 3)),
    ],
)
def test_parse_date(text, expected):
    assert frdates.parse_date(text) == expected


def test_parse_date_uses_default_year():
    assert frdates.parse_date("23 septembre", default_year=2022) == datetime.datetime(2022, 9, 23)


@pytest.mark.parametrize(
    "text, message",
    [
        ("8 octobr 2024", "date illisible"),
        ("31 février 2024", "date impossible"),
        ("le 8 octobre", "date illisible"),
        ("8 octobre", "année absente"),
        ("2024-13-01", "date impossible"),
    ],
)
def test_parse_date_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        frdates.parse_date(text)
