"""A month of complaint history for the reports benchmark, made with the domain and written straight into the table.

Each case is received on a day of April 2026 (Bangkok time, 06:00-22:00) with a category
drawn from the catalogue (district-level 60 %, departments' 20 %, the call centre's 12 %,
outside organisations' 8 %) and one of the 50 districts, then lives its life with the
domain's changes: routed at once or by the call centre (to one of four departments no
category reaches), closed in triage, referred; the agency acknowledges (on time, late, or
never), reports progress, completes (some straight from ``dispatched``), hands a few back
(re-routed by the call centre); the citizen answers some completions (satisfied, or not:
reopened). Before each step, and until the month ends, the daily 08:30 sweep runs
``followup.follow_up`` on a case whose deadline has passed: overdue, chased each morning,
escalated, closed when the feedback window passes. Nothing happens from 1 May on.

The agencies reached are the 50 district offices and 10 departments: 60.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from .open_cases import _case_ids

MONTH = "2026-04"
TZ_OFFSET = "+07:00"
START = datetime.fromisoformat(f"{MONTH}-01T00:00:00{TZ_OFFSET}")
END = datetime.fromisoformat(f"2026-05-01T00:00:00{TZ_OFFSET}")
DAYS = 30
SWEEP_AT = time(8, 30)
BY_CALL_CENTRE = ("DEPT-CLE", "DEPT-FIRE", "DEPT-CPUD", "DEPT-MED")  # departments only the call centre routes to
UNIT_SHARE = (("district", 0.60), ("department", 0.20), ("triage", 0.12), ("external", 0.08))
CHANNELS = ("phone", "web", "line", "mobile")


def _hours(h: float) -> timedelta:
    return timedelta(hours=h)


def _next_sweep(after: datetime) -> datetime:
    """The first 08:30 (Bangkok) strictly after ``after``."""
    from complaints.domain.calendar import BANGKOK, local_date

    at = datetime.combine(local_date(after), SWEEP_AT, tzinfo=BANGKOK)
    return at if at > after else at + timedelta(days=1)


class Story:
    """One case's life: its changes applied in time order, the morning sweeps between them."""

    def __init__(self, world: World, change: Any):
        self.world = world
        self.case = change.case
        self.events = list(change.events)
        self.t = self.case.received_at
        self.last_sweep = START - timedelta(days=1)

    def sweep_until(self, until: datetime) -> None:
        from complaints.domain.followup import follow_up

        until = min(until, END)
        while self.case.due is not None:
            at = _next_sweep(max(self.case.due.at, self.last_sweep))
            if at >= until:
                return
            self.last_sweep = at
            change = follow_up(self.case, at, self.world.calendar, self.world.policy)
            if change is not None:
                self._apply(change, at)

    def act(self, at: datetime, step: Callable[[datetime], Any]) -> bool:
        """``step`` at ``at`` (the sweeps before it first); False when ``at`` is past the month."""
        if at >= END:
            return False
        self.sweep_until(at)
        self._apply(step(at), at)
        return True

    def _apply(self, change: Any, at: datetime) -> None:
        self.case = change.case
        self.events += change.events
        self.t = max(self.t, at)

    def within_due(self, rng: random.Random, late: bool) -> datetime:
        """An instant before the running deadline, or 0.6-4 days after it when ``late``."""
        due = self.case.due.at
        if late or due <= self.t:
            return max(due, self.t) + timedelta(days=rng.uniform(0.6, 4))
        return self.t + (due - self.t) * rng.uniform(0.05, 0.95)

    def near_due(self, rng: random.Random, late: bool) -> datetime:
        """Within 1.5 days before the running deadline, or 0.6-4 days after it when ``late``."""
        due = self.case.due.at
        at = due + timedelta(days=rng.uniform(0.6, 4) if late else -rng.uniform(0.05, 1.5))
        return max(at, self.t + _hours(1))

    def staff(self) -> Any:
        from complaints.domain.model import Actor, Role

        return Actor(role=Role.AGENCY, id=f"staff-{self.case.agency.id}", agency_id=self.case.agency.id)


class World:
    """The catalogue, calendar, policy and actors every story shares."""

    def __init__(self, policy: Any):
        from complaints.domain.calendar import BusinessCalendar
        from complaints.domain.model import Actor, Role
        from complaints.reference import default_catalogue

        self.catalogue, self.calendar, self.policy = default_catalogue(), BusinessCalendar(), policy
        self.citizen = Actor(role=Role.CITIZEN)
        self.callcentre = Actor(role=Role.CALLCENTER, id="bench-callcentre")
        self.by_unit: dict[str, list[str]] = {}
        for code, category in sorted(self.catalogue.categories.items()):
            self.by_unit.setdefault(category.unit.partition(":")[0], []).append(code)
        self.districts = sorted(self.catalogue.district_codes)
        self.extra = [self.catalogue.agency(a) for a in BY_CALL_CENTRE]
        offices = [a for a in self.catalogue.agencies.values() if a.kind == "district"]
        self.agencies = sorted(offices, key=lambda a: a.id) + self.extra

    def draw_category(self, rng: random.Random) -> str:
        r = rng.random()
        for unit, share in UNIT_SHARE:
            if r < share:
                return rng.choice(self.by_unit[unit])
            r -= share
        return rng.choice(self.by_unit["district"])


def _received(world: World, case_id: str, i: int, rng: random.Random) -> Any:
    from complaints.domain import lifecycle
    from complaints.domain.ids import hash_token
    from complaints.domain.model import Case, Complainant, Location, State

    category, district = world.draw_category(rng), rng.choice(world.districts)
    at = START + timedelta(days=rng.randrange(DAYS), hours=rng.uniform(6, 22))
    draft = Case(
        id=case_id,
        state=State.TRIAGE,
        category=category,
        description=f"bench report case {i}",
        location=Location(lat=13.70 + (i % 100) / 1000, lon=100.50, address=f"ซอย {i % 97}"),
        district=district,
        channel=rng.choice(CHANNELS),
        received_at=at.replace(microsecond=0),
        notify=rng.random() < 0.5,
        complainant=Complainant(name="สมชาย ใจดี", phone="+66812345678"),
        token_hash=hash_token(case_id),
    )
    actor = world.citizen if draft.channel != "phone" else world.callcentre
    return lifecycle.receive(draft, world.catalogue.route(category, district), world.calendar, actor)


def _triage(s: Story, rng: random.Random) -> bool:
    """The call centre closes the case (a quarter) or routes it to a department; True when routed."""
    from complaints.domain import lifecycle

    w, at = s.world, s.t + _hours(rng.uniform(0.3, 30))  # past 24 hours: the dispatch deadline missed
    if rng.random() < 0.25:
        s.act(at, lambda t: lifecycle.close(s.case, w.callcentre, t, "inquiry answered"))
        return False
    agency = rng.choice(w.extra)
    return s.act(at, lambda t: lifecycle.route(s.case, agency, None, w.callcentre, t, w.calendar, "by the call centre"))


def _handback(s: Story, rng: random.Random) -> bool:
    """The agency hands the case back; the call centre sends it to another agency. True when re-routed."""
    from complaints.domain import lifecycle

    w = s.world
    other = rng.choice([a for a in w.agencies if a.id != s.case.agency.id])
    if not s.act(
        s.t + _hours(rng.uniform(2, 20)), lambda t: lifecycle.handback(s.case, s.staff(), t, "not ours", w.calendar)
    ):
        return False
    return s.act(
        s.t + _hours(rng.uniform(1, 8)),
        lambda t: lifecycle.route(s.case, other, None, w.callcentre, t, w.calendar, "re-routed"),
    )


def _complete(s: Story, at: datetime) -> Any:
    from complaints.domain import lifecycle

    w = s.world
    return lifecycle.complete(
        s.case, s.staff(), at, note="done", evidence_urls=(), calendar=w.calendar, policy=w.policy
    )


def _feedback(s: Story, rng: random.Random) -> None:
    """The citizen answers within the window: satisfied (closed), or not (reopened, and the agency again)."""
    from complaints.domain import followup

    w, happy = s.world, rng.random() < 0.8
    at = s.t + (s.case.due.at - s.t) * rng.uniform(0.05, 0.6)
    answer = lambda t: followup.feedback(s.case, w.citizen, t, happy, happy, None, w.calendar, w.policy)  # noqa: E731
    if s.act(at, answer) and not happy:
        _agency(s, rng, handback=False)


def _agency(s: Story, rng: random.Random, handback: bool = True) -> None:
    """The agency's part: hand back (5 %), never acknowledge (4 %), complete at once (10 %), or acknowledge
    (a fifth of them late), report progress (80 %) and complete (65 %); the citizen answers 40 % of completions."""
    from complaints.domain import lifecycle

    w, r = s.world, rng.random()
    if handback and rng.random() < 0.05 and not _handback(s, rng):
        return
    if r < 0.04:  # the sweep chases it every morning to the month's end
        return
    if r < 0.14:
        done = s.act(s.within_due(rng, late=False), lambda t: _complete(s, t))
    else:
        ack = lambda t: lifecycle.acknowledge(s.case, s.staff(), t, w.calendar, None)  # noqa: E731
        if not s.act(s.within_due(rng, late=r > 0.80), ack):
            return
        report = lambda t: lifecycle.progress(s.case, s.staff(), t, w.calendar, "on it", None)  # noqa: E731
        if rng.random() < 0.8 and not s.act(s.within_due(rng, late=rng.random() < 0.15), report):
            return
        if rng.random() < 0.35:  # still at work: a progress report by each checkpoint (a tenth of them late)
            while s.act(s.near_due(rng, late=rng.random() < 0.1), report):
                pass
            return
        done = s.act(s.t + timedelta(days=rng.uniform(0.5, 9)), lambda t: _complete(s, t))
    if done and rng.random() < 0.4:
        _feedback(s, rng)


def _story(world: World, case_id: str, i: int, rng: random.Random) -> Story:
    from complaints.domain import lifecycle
    from complaints.domain.model import State

    s = Story(world, _received(world, case_id, i, rng))
    state = s.case.state
    if _triage(s, rng) if state is State.TRIAGE else state is State.DISPATCHED:
        _agency(s, rng)
    elif state is State.REFERRED and rng.random() < 0.5:
        close = lambda t: lifecycle.close(s.case, world.callcentre, t, "dealt with")  # noqa: E731
        s.act(s.t + timedelta(days=rng.uniform(1, 5)), close)
    s.sweep_until(END)
    return s


@dataclass
class History:
    items: list[dict[str, Any]] = field(default_factory=list)
    events: Counter[str] = field(default_factory=Counter)
    agencies: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)


def month_history(n: int, policy: Any) -> History:
    """The items (cases and their events) of ``n`` cases received in April 2026, and what they touch."""
    from complaints.adapters.dynamo.codec import case_item, event_item
    from complaints.domain.events import EventType

    world, rng, out = World(policy), random.Random(n), History()
    for i, case_id in enumerate(_case_ids(n)):
        s = _story(world, case_id, i, rng)
        out.items.append(case_item(s.case))
        out.items += [event_item(case_id, e) for e in s.events]
        out.events.update(str(e.type) for e in s.events)
        out.agencies.update(e.data.agency_id for e in s.events if e.type is EventType.ROUTED)
        out.categories.add(s.case.category)
        out.districts.add(s.case.district)
    return out
