"""Time rules of notifications: quiet hours, on top of recovery.timing's DST-correct local times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from recovery.timing import local_to_utc

__all__ = ["in_quiet_hours", "local_date", "local_to_utc", "quiet_hours_end_after"]


def local_date(now: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.date:
    return now.astimezone(zone).date()


def in_quiet_hours(instant: dt.datetime, zone: zoneinfo.ZoneInfo, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether `instant` falls in the daily quiet window [start, end) in `zone`; the window may cross midnight."""
    if start is None or end is None or start == end:
        return False
    local = instant.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def quiet_hours_end_after(
    instant: dt.datetime, zone: zoneinfo.ZoneInfo, start: dt.time | None, end: dt.time | None
) -> dt.datetime:
    """The first instant at or after `instant` outside quiet hours."""
    if not in_quiet_hours(instant, zone, start, end) or end is None:
        return instant
    # Inside quiet hours, the end is later today or, for a window across midnight entered before it, tomorrow.
    today = instant.astimezone(zone).date()
    candidate = local_to_utc(today, end, zone)
    return candidate if candidate > instant else local_to_utc(today + dt.timedelta(days=1), end, zone)
