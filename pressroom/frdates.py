"""French dates, written with Babel so that no system locale is needed."""

import datetime

from babel.dates import format_date

LOCALE = "fr_FR"


def _day(d):
    return "1er" if d.day == 1 else str(d.day)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


def long_date(value):
    """« mardi 8 octobre 2024 », « vendredi 1er novembre 2019 »."""
    d = _as_date(value)
    weekday = format_date(d, "EEEE", locale=LOCALE)
    return f"{weekday} {_day(d)} {month_year(d)}"


def short_date(value):
    """« 8 octobre 2024 », « 1er novembre 2019 »."""
    d = _as_date(value)
    return f"{_day(d)} {month_year(d)}"


def month_year(value):
    """« octobre 2024 »."""
    return format_date(_as_date(value), "MMMM y", locale=LOCALE)


def month_name(value):
    """« octobre »."""
    return format_date(_as_date(value), "MMMM", locale=LOCALE)


def date_range(start, end=None):
    """« le 8 octobre 2024 », « du 13 au 15 novembre 2019 »,
    « du 30 novembre au 2 décembre 2019 », « du 30 décembre 2019 au 2 janvier 2020 »."""
    start, end = _as_date(start), _as_date(end) if end else None
    if not end or end == start:
        return f"le {short_date(start)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"du {_day(start)} au {short_date(end)}"
    if start.year == end.year:
        return f"du {_day(start)} {month_name(start)} au {short_date(end)}"
    return f"du {short_date(start)} au {short_date(end)}"
