"""What a campaign brought in: its yield by received date, per week and per organisation.

A campaign counts the practices the registry *received* during its window
(``submitted``, both ends included), not those whose own ``published`` date
falls in it: a practice carried out years ago and sent in during the campaign
is exactly what a campaign collects. Records written before the submission
routes set ``submitted`` (the bundled historic ones) are never counted by a
guess: a campaign that ended and began before the registry's first received
record has no yield on record, and shows the figure its own report gives
instead, marked as such (``reported``), or says the yield is not known.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import urls
from .comms import Campaign
from .model import Organisation, Practice
from .registry import Registry
from .stats import TOP_N, top_organisations

RECEIVED, REPORTED, UNKNOWN = "vastaanotettu", "lähteen mukaan", "ei tiedossa"
TABLE = "kampanjat"  # every campaign's yield among the statistics tables (kehto.urls.statistics_csv)


@dataclass(frozen=True)
class Week:
    """One campaign week (Monday to Sunday, clipped to the window) and what it brought in."""

    number: int  # ISO week number
    first: date
    last: date
    count: int
    total: int  # received by the end of this week


@dataclass(frozen=True)
class CampaignView:
    """A campaign's yield and state, computed for ``today``."""

    campaign: Campaign
    practices: list[Practice]  # received in the window, latest received first
    weeks: list[Week]
    organisations: list[tuple[Organisation, int]]  # the whole leaderboard
    adoptions: int  # "otettu mallia" reports received in the window
    status: str  # "tulossa", "käynnissä", "päättynyt"
    source: str = RECEIVED  # where the yield comes from: RECEIVED, REPORTED or UNKNOWN
    top_organisations: list[tuple[Organisation, int]] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.source == REPORTED

    @property
    def unknown(self) -> bool:
        return self.source == UNKNOWN

    @property
    def count(self) -> int | None:
        """The yield: received practices, the report's figure for a historic campaign, or None if unknown."""
        if self.unknown:
            return None
        return self.campaign.reported_count if self.reported else len(self.practices)

    @property
    def progress(self) -> float | None:
        """Percent of the goal reached (capped at 100), or None without a goal or a known yield."""
        goal = self.campaign.goal
        return min(100.0, round(100 * self.count / goal, 1)) if goal and self.count is not None else None


def in_window(campaign: Campaign, day: date | None, today: date) -> bool:
    """Whether a record received on ``day`` counts for ``campaign`` (an open campaign runs to ``today``)."""
    return day is not None and campaign.start <= day <= (campaign.end or today)


def status(campaign: Campaign, today: date) -> str:
    if today < campaign.start:
        return "tulossa"
    if campaign.end is None or today <= campaign.end:
        return "käynnissä"
    return "päättynyt"


def weeks(campaign: Campaign, received: list[date], today: date) -> list[Week]:
    """Weeks from the campaign's first Monday to its end, or to this week while it runs."""
    last = max([min(campaign.end or today, today), *received])
    counts = Counter(day - timedelta(days=day.weekday()) for day in received)
    rows, total = [], 0
    monday = campaign.start - timedelta(days=campaign.start.weekday())
    while monday <= last:
        total += counts[monday]
        rows.append(Week(monday.isocalendar()[1], max(monday, campaign.start),
                         min(monday + timedelta(days=6), campaign.end or last), counts[monday], total))
        monday += timedelta(days=7)
    return rows


def in_page_order(registry: Registry) -> list[Campaign]:
    """Campaigns latest first, as the campaigns page and the statistics list them."""
    return sorted(registry.campaigns.values(), key=lambda c: (c.start, c.id), reverse=True)


def campaign_view(registry: Registry, campaign: Campaign, today: date) -> CampaignView:
    """Practices and adoptions received in the window, week by week and by organisation."""
    received = sorted((p for p in registry.newest_first if in_window(campaign, p.submitted, today)),
                      key=lambda p: p.submitted, reverse=True)  # stable: newest published first on a day
    adoptions = sum(in_window(campaign, a.submitted, today) for a in registry.adoptions.values())
    source = RECEIVED
    if not received and not adoptions and campaign.end is not None and campaign.end < today:
        first = first_received(registry)
        if first is None or campaign.start < first:  # over before received dates were kept
            source = REPORTED if campaign.reported_count is not None else UNKNOWN
    board = top_organisations(registry, received, n=len(registry.organisations))  # the whole leaderboard
    days = weeks(campaign, [p.submitted for p in received], today) if source == RECEIVED else []
    return CampaignView(campaign, received, days, board, adoptions, status(campaign, today), source, board[:TOP_N])


def first_received(registry: Registry):
    """The earliest received date on record (practices and adoptions), or None before any."""
    days = [r.submitted for r in (*registry.practices.values(), *registry.adoptions.values()) if r.submitted]
    return min(days, default=None)


def campaign_tables(registry: Registry, views: list[CampaignView]) -> dict[str, tuple[tuple[str, ...], list[list]]]:
    """CSV tables by path: every campaign's yield (statistics), and each campaign's weeks and leaderboard."""
    def percent(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}".replace(".", ",")

    tables = {urls.statistics_csv(TABLE): (
        ("kampanja", "alkaa", "päättyy", "tekoja", "lähde", "tavoite", "tavoitteesta_%", "otettu_mallia"),
        [[v.campaign.title, v.campaign.start.isoformat(), v.campaign.end.isoformat() if v.campaign.end else "",
          "" if v.count is None else v.count, v.source, v.campaign.goal or "", percent(v.progress),
          v.adoptions] for v in views])}
    for view in views:
        campaign_id = view.campaign.id
        tables[urls.campaign_file(campaign_id, "weeks")] = (
            ("viikko", "alkaa", "päättyy", "tekoja", "tekoja_yhteensä"),
            [[w.number, w.first.isoformat(), w.last.isoformat(), w.count, w.total] for w in view.weeks])
        tables[urls.campaign_file(campaign_id, "organisations")] = (
            ("sija", "organisaatio", "organisaation_tunniste", "tekoja"),
            [[i, org.name, org.id, count] for i, (org, count) in enumerate(view.organisations, 1)])
    return tables
