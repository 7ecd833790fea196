"""Which day it is: a record's dates are calendar days in Finland, whatever the machine's time zone.

Every "today" in kehto (the future-date rule, the day a submission was received, "this week" on the
site, the export's date) is :func:`today`, so a record stamped by the intake service at 23:30 Finnish
time (21:30 UTC) is not "in the future" to a CI runner on UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

FINLAND = ZoneInfo("Europe/Helsinki")


def finnish_day(moment: datetime) -> date:
    """The calendar day in Finland at ``moment``; a naive moment as is."""
    return (moment.astimezone(FINLAND) if moment.tzinfo else moment).date()


def today() -> date:
    """Today in Finland."""
    return datetime.now(FINLAND).date()
