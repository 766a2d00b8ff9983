import datetime

import pytest
from pressroom import frdates


@pytest.mark.parametrize("value, expected", [
    (datetime.date(2024, 10, 8), "mardi 8 octobre 2024"),
    (datetime.datetime(2019, 11, 1, 10, 30), "vendredi 1er novembre 2019"),
    (datetime.date(2022, 8, 15), "lundi 15 août 2022"),
])
def test_long_date(value, expected):
    assert frdates.long_date(value) == expected


@pytest.mark.parametrize("start, end, expected", [
    ((2019, 11, 13), (2019, 11, 15), "du 13 au 15 novembre 2019"),
    ((2019, 7, 1), (2019, 7, 5), "du 1er au 5 juillet 2019"),
    ((2019, 11, 30), (2019, 12, 2), "du 30 novembre au 2 décembre 2019"),
    ((2019, 12, 30), (2020, 1, 2), "du 30 décembre 2019 au 2 janvier 2020"),
    ((2022, 12, 7), (2022, 12, 7), "le 7 décembre 2022"),
    ((2022, 12, 7), None, "le 7 décembre 2022"),
])
def test_date_range(start, end, expected):
    end = datetime.date(*end) if end else None
    assert frdates.date_range(datetime.date(*start), end) == expected
