"""Local wall-clock reminder times to UTC instants, across daylight-saving changes, in five zones.

Expected instants are written out by hand from the zones' rules, not computed with the code under test:
- America/New_York: EST -5, EDT -4; 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00.
- Europe/Berlin: CET +1, CEST +2; 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00.
- Australia/Sydney: AEST +10, AEDT +11; 2026-04-05 03:00 -> 02:00, 2026-10-04 02:00 -> 03:00.
- Asia/Kolkata: IST +5:30 all year.
- Pacific/Chatham: +12:45, +13:45 in summer; 2026-04-05 03:45 -> 02:45, 2026-09-27 02:45 -> 03:45.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notifications.timing import in_quiet_hours, local_date, local_to_utc, quiet_hours_end_after
from tests.notifications.support import BERLIN, CHATHAM, KOLKATA, NEW_YORK, SYDNEY, ZONES
from tests.support import local, utc

T = dt.time
D = dt.date

# The biggest jump forward each zone's clocks make: a missing local time is at most this far from the next valid one.
LARGEST_GAP = {NEW_YORK: 60, BERLIN: 60, SYDNEY: 60, KOLKATA: 0, CHATHAM: 60}

# (zone, change day, expected UTC of an 08:00 reminder that day)
EIGHT_AM_ON_CHANGE_DAYS = [
    (NEW_YORK, D(2026, 3, 8), utc(2026, 3, 8, 12, 0)),
    (NEW_YORK, D(2026, 11, 1), utc(2026, 11, 1, 13, 0)),
    (BERLIN, D(2026, 3, 29), utc(2026, 3, 29, 6, 0)),
    (BERLIN, D(2026, 10, 25), utc(2026, 10, 25, 7, 0)),
    (SYDNEY, D(2026, 4, 5), utc(2026, 4, 4, 22, 0)),
    (SYDNEY, D(2026, 10, 4), utc(2026, 10, 3, 21, 0)),
    (KOLKATA, D(2026, 3, 8), utc(2026, 3, 8, 2, 30)),
    (CHATHAM, D(2026, 4, 5), utc(2026, 4, 4, 19, 15)),
    (CHATHAM, D(2026, 9, 27), utc(2026, 9, 26, 18, 15)),
]


@pytest.mark.parametrize(("zone", "day", "expected"), EIGHT_AM_ON_CHANGE_DAYS, ids=lambda v: str(v))
def test_an_eight_oclock_reminder_fires_at_eight_local_on_the_change_day(zone, day, expected):
    due = local_to_utc(day, T(8, 0), zone)

    assert due == expected
    assert due.tzinfo is not None and due.utcoffset() == dt.timedelta(0)
    assert due.astimezone(zone).replace(tzinfo=None) == dt.datetime.combine(day, T(8, 0))


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # New York springs forward at 02:00: 02:00-02:59 do not exist; the next valid minute is 03:00 EDT.
        (NEW_YORK, D(2026, 3, 8), T(2, 30), utc(2026, 3, 8, 7, 0)),
        (NEW_YORK, D(2026, 3, 8), T(2, 0), utc(2026, 3, 8, 7, 0)),
        (NEW_YORK, D(2026, 3, 8), T(2, 59), utc(2026, 3, 8, 7, 0)),
        # Berlin, last Sunday of March: 02:00-02:59 do not exist; 03:00 CEST is 01:00 UTC.
        (BERLIN, D(2026, 3, 29), T(2, 0), utc(2026, 3, 29, 1, 0)),
        (BERLIN, D(2026, 3, 29), T(2, 30), utc(2026, 3, 29, 1, 0)),
        (BERLIN, D(2026, 3, 29), T(2, 59), utc(2026, 3, 29, 1, 0)),
        # Sydney, first Sunday of October: 02:00-02:59 do not exist; 03:00 AEDT is 16:00 UTC the day before.
        (SYDNEY, D(2026, 10, 4), T(2, 15), utc(2026, 10, 3, 16, 0)),
        # Chatham jumps from 02:45 to 03:45 (+12:45 -> +13:45); 03:45 CHADT is 14:00 UTC the day before.
        (CHATHAM, D(2026, 9, 27), T(2, 45), utc(2026, 9, 26, 14, 0)),
        (CHATHAM, D(2026, 9, 27), T(3, 0), utc(2026, 9, 26, 14, 0)),
        (CHATHAM, D(2026, 9, 27), T(3, 44), utc(2026, 9, 26, 14, 0)),
    ],
    ids=lambda v: str(v),
)
def test_a_local_time_that_does_not_exist_fires_at_the_next_valid_minute(zone, day, at, expected):
    assert local_to_utc(day, at, zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # The edges of the gap exist and map to themselves.
        (NEW_YORK, D(2026, 3, 8), T(1, 59), utc(2026, 3, 8, 6, 59)),
        (NEW_YORK, D(2026, 3, 8), T(3, 0), utc(2026, 3, 8, 7, 0)),
        (CHATHAM, D(2026, 9, 27), T(2, 44), utc(2026, 9, 26, 13, 59)),
        (CHATHAM, D(2026, 9, 27), T(3, 45), utc(2026, 9, 26, 14, 0)),
    ],
    ids=lambda v: str(v),
)
def test_the_minutes_around_a_gap_are_not_moved(zone, day, at, expected):
    assert local_to_utc(day, at, zone) == expected


@pytest.mark.parametrize(
    ("zone", "day", "at", "first", "second"),
    [
        # New York falls back at 02:00 EDT to 01:00 EST: 01:30 happens at 05:30 and again at 06:30 UTC.
        (NEW_YORK, D(2026, 11, 1), T(1, 30), utc(2026, 11, 1, 5, 30), utc(2026, 11, 1, 6, 30)),
        # Berlin falls back at 03:00 CEST to 02:00 CET: 02:30 happens at 00:30 and 01:30 UTC.
        (BERLIN, D(2026, 10, 25), T(2, 30), utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)),
        # Sydney falls back at 03:00 AEDT to 02:00 AEST.
        (SYDNEY, D(2026, 4, 5), T(2, 30), utc(2026, 4, 4, 15, 30), utc(2026, 4, 4, 16, 30)),
        # Chatham falls back at 03:45 to 02:45: 03:00 happens at 13:15 and 14:15 UTC.
        (CHATHAM, D(2026, 4, 5), T(3, 0), utc(2026, 4, 4, 13, 15), utc(2026, 4, 4, 14, 15)),
    ],
    ids=lambda v: str(v),
)
def test_an_ambiguous_local_time_fires_once_at_its_first_occurrence(zone, day, at, first, second):
    assert local_to_utc(day, at, zone) == first
    # The second occurrence really is the same wall time (the case is truly ambiguous).
    assert second.astimezone(zone).replace(tzinfo=None) == first.astimezone(zone).replace(tzinfo=None)


def test_seconds_in_the_requested_time_are_ignored():
    assert local_to_utc(D(2026, 6, 1), T(8, 0, 59, 123), KOLKATA) == utc(2026, 6, 1, 2, 30)


def test_the_local_date_of_an_instant_is_the_zones_date():
    instant = utc(2026, 9, 26, 14, 0)  # 03:45 on the 27th in Chatham, 10:00 on the 26th in New York
    assert local_date(instant, CHATHAM) == D(2026, 9, 27)
    assert local_date(instant, NEW_YORK) == D(2026, 9, 26)


# --- Quiet hours ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "quiet"),
    [
        (T(21, 59), False),
        (T(22, 0), True),
        (T(23, 30), True),
        (T(0, 0), True),
        (T(3, 0), True),
        (T(6, 59), True),
        (T(7, 0), False),
        (T(12, 0), False),
    ],
)
def test_quiet_hours_across_midnight(wall, quiet):
    instant = dt.datetime.combine(D(2026, 6, 10), wall, tzinfo=BERLIN)
    assert in_quiet_hours(instant, BERLIN, T(22, 0), T(7, 0)) is quiet


@pytest.mark.parametrize(
    ("wall", "quiet"), [(T(12, 59), False), (T(13, 0), True), (T(14, 59), True), (T(15, 0), False)]
)
def test_quiet_hours_within_a_day(wall, quiet):
    instant = dt.datetime.combine(D(2026, 6, 10), wall, tzinfo=NEW_YORK)
    assert in_quiet_hours(instant, NEW_YORK, T(13, 0), T(15, 0)) is quiet


def test_no_quiet_hours_when_unset():
    assert not in_quiet_hours(utc(2026, 6, 10, 3, 0), BERLIN, None, None)


def test_quiet_hours_are_judged_in_the_persons_zone_not_utc():
    instant = utc(2026, 6, 10, 21, 30)  # 23:30 in Berlin, 17:30 in New York
    assert in_quiet_hours(instant, BERLIN, T(22, 0), T(7, 0))
    assert not in_quiet_hours(instant, NEW_YORK, T(22, 0), T(7, 0))


def test_quiet_hours_end_the_next_morning_when_they_began_in_the_evening():
    instant = local(BERLIN, 2026, 6, 10, 23, 30)
    assert quiet_hours_end_after(instant, BERLIN, T(22, 0), T(7, 0)) == local(BERLIN, 2026, 6, 11, 7, 0)


def test_quiet_hours_end_the_same_morning_after_midnight():
    instant = local(BERLIN, 2026, 6, 11, 3, 0)
    assert quiet_hours_end_after(instant, BERLIN, T(22, 0), T(7, 0)) == local(BERLIN, 2026, 6, 11, 7, 0)


def test_quiet_hours_ending_on_a_spring_forward_morning_end_at_the_right_instant():
    # Quiet 22:00-07:00 over the night Berlin moves to summer time: 07:00 CEST is 05:00 UTC.
    instant = utc(2026, 3, 29, 0, 30)  # 01:30 CET
    assert quiet_hours_end_after(instant, BERLIN, T(22, 0), T(7, 0)) == utc(2026, 3, 29, 5, 0)


def test_an_instant_outside_quiet_hours_is_not_moved():
    instant = local(NEW_YORK, 2026, 6, 10, 12, 0)
    assert quiet_hours_end_after(instant, NEW_YORK, T(22, 0), T(7, 0)) == instant


# --- Property: every zone, every day of 2026-2028, every minute -------------------------------------------------------


@settings(max_examples=600, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    day=st.dates(min_value=D(2026, 1, 1), max_value=D(2028, 12, 31)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
# Random days rarely land on a change day: the changes of 2026-2028 are always tried too.
@example(zone=NEW_YORK, day=D(2026, 3, 8), hour=2, minute=30)
@example(zone=NEW_YORK, day=D(2027, 11, 7), hour=1, minute=30)
@example(zone=BERLIN, day=D(2027, 3, 28), hour=2, minute=0)
@example(zone=BERLIN, day=D(2028, 10, 29), hour=2, minute=59)
@example(zone=SYDNEY, day=D(2028, 10, 1), hour=2, minute=59)
@example(zone=SYDNEY, day=D(2027, 4, 4), hour=2, minute=15)
@example(zone=CHATHAM, day=D(2027, 9, 26), hour=3, minute=0)
@example(zone=CHATHAM, day=D(2028, 4, 2), hour=3, minute=30)
@example(zone=KOLKATA, day=D(2028, 2, 29), hour=23, minute=59)
def test_the_due_instant_is_never_before_the_wall_time_and_at_most_one_gap_after(zone: ZoneInfo, day, hour, minute):
    wanted = dt.datetime.combine(day, T(hour, minute))
    due = local_to_utc(day, T(hour, minute), zone)

    assert due.utcoffset() == dt.timedelta(0)
    wall = due.astimezone(zone).replace(tzinfo=None)
    assert wall >= wanted
    assert wall - wanted <= dt.timedelta(minutes=LARGEST_GAP[zone])
    exists = wanted.replace(tzinfo=zone).astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) == wanted
    if exists:
        # A time that exists fires at that time, and at its first occurrence when it happens twice.
        assert wall == wanted
        assert due == wanted.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
        assert due <= wanted.replace(tzinfo=zone, fold=1).astimezone(dt.UTC)
    else:
        # A missing time fires at the first minute that exists after it, and that minute is the end of the gap.
        one_minute_before = (due - dt.timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None)
        assert one_minute_before < wanted
