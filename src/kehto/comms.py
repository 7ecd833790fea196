"""Records the communications team works with: top-lists, adoptions, campaigns and awards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .model import Source, source_from


@dataclass(frozen=True)
class ListItem:
    practice: str
    comment: str = ""


@dataclass(frozen=True)
class TopList:
    """A curated, ordered list of practices (``data/lists/``)."""

    id: str
    title: str
    intro: str
    items: tuple[ListItem, ...]
    published: date | None = None
    source: Source | None = None
    path: str = ""


@dataclass(frozen=True)
class Adoption:
    """An organisation took a practice into use ("otettu mallia", ``data/adoptions/``)."""

    id: str
    practice: str
    organisation: str
    date: date
    note: str = ""
    path: str = ""
    submitted: date | None = None  # when the registry received it (set by the submission route)


@dataclass(frozen=True)
class WeeklyPick:
    week_start: date
    practice: str
    note: str = ""


@dataclass(frozen=True)
class Campaign:
    """A campaign that collects practices during a window (``data/campaigns/``)."""

    id: str
    title: str
    description: str
    start: date
    end: date | None = None
    hashtags: tuple[str, ...] = ()
    goal: int | None = None
    reported_count: int | None = None
    reported_note: str = ""
    weekly: tuple[WeeklyPick, ...] = ()
    source: Source | None = None
    path: str = ""

    def pick_of_week(self, today: date) -> WeeklyPick | None:
        """The pick whose week contains ``today``, or the latest before it within the campaign."""
        current = [pick for pick in self.weekly if pick.week_start <= today]
        return max(current, key=lambda pick: pick.week_start) if current else None


@dataclass(frozen=True)
class AwardCategory:
    id: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Winner:
    category: str
    practice: str = ""
    organisation: str = ""
    note: str = ""


@dataclass(frozen=True)
class Award:
    """An award event with its categories and winners (``data/awards/``)."""

    id: str
    title: str
    date: date
    categories: tuple[AwardCategory, ...]
    winners: tuple[Winner, ...] = ()
    description: str = ""
    campaign: str = ""
    date_precision: str = "day"
    source: Source | None = None
    path: str = ""

    def category(self, category_id: str) -> AwardCategory:
        return next(c for c in self.categories if c.id == category_id)

    def winners_in(self, category_id: str) -> list[Winner]:
        return [w for w in self.winners if w.category == category_id]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def top_list_from(data: dict, path: str = "") -> TopList:
    return TopList(data["id"], data["title"].strip(), data["intro"].strip(),
                   tuple(ListItem(i["practice"], i.get("comment", "")) for i in data["items"]),
                   _day(data.get("published")), source_from(data.get("source")), path)


def adoption_from(data: dict, path: str = "") -> Adoption:
    return Adoption(data["id"], data["practice"], data["organisation"], date.fromisoformat(data["date"]),
                    data.get("note", ""), path, _day(data.get("submitted")))


def campaign_from(data: dict, path: str = "") -> Campaign:
    reported = data.get("reported") or {}
    return Campaign(
        id=data["id"], title=data["title"].strip(), description=data["description"],
        start=date.fromisoformat(data["start"]), end=_day(data.get("end")),
        hashtags=tuple(data.get("hashtags", [])), goal=data.get("goal"),
        reported_count=reported.get("count"), reported_note=reported.get("note", ""),
        weekly=tuple(sorted((WeeklyPick(date.fromisoformat(w["week_start"]), w["practice"], w.get("note", ""))
                             for w in data.get("weekly", [])), key=lambda w: w.week_start)),
        source=source_from(data.get("source")), path=path)


def award_from(data: dict, path: str = "") -> Award:
    return Award(
        id=data["id"], title=data["title"].strip(), date=date.fromisoformat(data["date"]),
        categories=tuple(AwardCategory(c["id"], c["name"], c.get("description", "")) for c in data["categories"]),
        winners=tuple(Winner(w["category"], w.get("practice", ""), w.get("organisation", ""), w.get("note", ""))
                      for w in data.get("winners", [])),
        description=data.get("description", ""), campaign=data.get("campaign", ""),
        date_precision=data.get("date_precision", "day"), source=source_from(data.get("source")), path=path)
