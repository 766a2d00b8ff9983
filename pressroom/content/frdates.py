"""French dates, written with Babel so that no system locale is needed."""

import datetime
import functools
import re
import zoneinfo

from babel.dates import format_date

from pressroom.content.text import fold
from pressroom.settings import DEFAULTS, setting

LOCALE = DEFAULTS["BABEL_LOCALE"]


def _day(d):
    return "1er" if d.day == 1 else str(d.day)


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


# Babel re-parses the locale and the pattern on every call, and a large archive
# shows the same dates thousands of times (cards, feeds, archives): names are
# cached by weekday and by month, a few dozen entries for any archive.
@functools.cache
def _weekday_name(weekday):
    return format_date(datetime.date(2024, 1, 1 + weekday), "EEEE", locale=LOCALE)  # 2024-01-01 was a Monday


@functools.cache
def _month_name(month):
    return format_date(datetime.date(2024, month, 1), "MMMM", locale=LOCALE)


def long_date(value):
    """« mardi 8 octobre 2024 », « vendredi 1er novembre 2019 »."""
    d = _as_date(value)
    return f"{_weekday_name(d.weekday())} {_day(d)} {month_year(d)}"


def short_date(value):
    """« 8 octobre 2024 », « 1er novembre 2019 »."""
    d = _as_date(value)
    return f"{_day(d)} {month_year(d)}"


def month_year(value):
    """« octobre 2024 »."""
    d = _as_date(value)
    return f"{_month_name(d.month)} {d.year}"


def month_name(value):
    """« octobre »."""
    return _month_name(_as_date(value).month)


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


# --- Reading dates written by people -------------------------------------

MONTHS = {
    "janvier": 1,
    "janv": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TIME = r"(?:\s*(?:a|,)?\s*(?P<hour>\d{1,2})\s*(?:h|:)\s*(?P<minute>\d{2})?)?"
_ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[ t]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?)?$"
)
_FRENCH = re.compile(
    rf"^(?:(?:{'|'.join(WEEKDAYS)})\s+)?(?P<day>\d{{1,2}})\s*(?:er)?\s+(?P<month>{_MONTH})\.?"
    rf"(?:\s+(?P<year>\d{{4}}))?{_TIME}$"
)


def has_time(text):
    """Whether a date as written gives the time of day: « 8 octobre 2024 à 9h30 », « 2024-10-08 09:30 »."""
    folded = fold(str(text)).strip(" .")
    match = _ISO.match(folded) or _FRENCH.match(folded)
    return bool(match and match["hour"])


def parse_date(text, default_year=None):
    """Read a date written in ISO form or in French.

    '2024-10-08', '2024-10-08 10:30', '8 octobre 2024', '1er novembre 2019',
    'mardi 8 octobre 2024 à 10h30'. Without a year, ``default_year`` is used.
    Returns a naive datetime; raises ValueError (in French) when it cannot read it.
    """
    folded = fold(str(text)).strip(" .")
    match = _ISO.match(folded)
    if match:
        month = int(match["month"])
    else:
        match = _FRENCH.match(folded)
        if not match:
            raise ValueError(f"date illisible « {text} »")
        month = MONTHS[match["month"]]
    year = int(match["year"]) if match["year"] else default_year
    if year is None:
        raise ValueError(f"année absente dans « {text} »")
    try:
        return datetime.datetime(year, month, int(match["day"]), int(match["hour"] or 0), int(match["minute"] or 0))
    except ValueError:
        raise ValueError(f"date impossible « {text} »") from None


# --- Finding dates and periods in running text (importer, content gate) ----

_WEEKDAY = rf"(?:(?:{'|'.join(WEEKDAYS)})\s+)?"
# A single French date inside a sentence, on folded text: "mardi 8 octobre 2024".
DATE_PATTERN = rf"{_WEEKDAY}\d{{1,2}}(?:er)?\s+(?:{_MONTH})\.?(?:\s+\d{{4}})?"
_RANGE = re.compile(
    rf"\b(?P<word>du|les)\s+{_WEEKDAY}(?P<d1>\d{{1,2}})(?:er)?(?:\s+(?P<m1>{_MONTH})\.?)?(?:\s+(?P<y1>\d{{4}}))?"
    rf"\s+(?:au|et)\s+{_WEEKDAY}(?P<d2>\d{{1,2}})(?:er)?\s+(?P<m2>{_MONTH})\b\.?(?:\s+(?P<y2>\d{{4}}))?"
)


def find_dates(text):
    """Every French date written in ``text``, folded: ['mardi 8 octobre 2024', …]."""
    return [m.group(0).strip(" .") for m in re.finditer(rf"\b{DATE_PATTERN}\b", fold(text))]


def find_date_range(text):
    """The first period written in ``text``, folded ('du 13 au 15 novembre'), or None."""
    match = _RANGE.search(fold(text))
    return match.group(0).strip(" .") if match else None


def parse_date_range(text, default_year=None):
    """Read a period: 'du 13 au 15 novembre 2019', 'du mercredi 10 au vendredi 12 novembre 2021',
    'du 30 décembre 2019 au 2 janvier 2020', 'les 23 et 24 septembre'.

    Without a year, ``default_year`` is used (e.g. the year of publication).
    Returns (start, end) as dates; raises ValueError (in French) when it cannot read it.
    """
    match = _RANGE.fullmatch(fold(str(text)).strip(" ."))
    if not match:
        raise ValueError(f"période illisible « {text} »")
    end_month = MONTHS[match["m2"]]
    start_month = MONTHS[match["m1"]] if match["m1"] else end_month
    end_year = int(match["y2"]) if match["y2"] else default_year
    if end_year is None:
        raise ValueError(f"année absente dans « {text} »")
    start_year = int(match["y1"]) if match["y1"] else end_year - (start_month > end_month)
    try:
        start = datetime.date(start_year, start_month, int(match["d1"]))
        end = datetime.date(end_year, end_month, int(match["d2"]))
    except ValueError:
        raise ValueError(f"date impossible dans « {text} »") from None
    if end < start:
        raise ValueError(f"période à l'envers « {text} » : la fin précède le début")
    return start, end


def today(settings):
    """The day that splits upcoming from past events: EVENTS_TODAY when fixed (tests), else today
    where the site lives (TIMEZONE). The events plugin and the lite edition share it."""
    fixed = setting(settings, "EVENTS_TODAY")
    if fixed:
        return fixed if isinstance(fixed, datetime.date) else datetime.date.fromisoformat(str(fixed))
    return datetime.datetime.now(zoneinfo.ZoneInfo(settings["TIMEZONE"])).date()
