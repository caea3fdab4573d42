"""Use cases: what the handlers call. Domain rules plus the store, behind its interface.

"Now" is always passed in by the caller (from the event), never read from a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .adapters.store import CaseQuery, CaseStore, Page
from .domain import lifecycle
from .domain.calendar import BANGKOK, BusinessCalendar, local_date
from .domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from .domain.ids import hash_token, new_case_id, new_tracking_token, token_matches
from .domain.links import LinkRefused, check_current, citizen_token_matches, read_agency_token
from .domain.model import (
    STAFF_ROLES,
    Actor,
    Case,
    Complainant,
    HistoryEvent,
    Location,
    Role,
    State,
)
from .domain.routing import Catalogue, in_bangkok
from .notices import Notices
from .schemas import ComplaintIn, HolidayIn, RouteIn

ID_ATTEMPTS = 5
#: How often a change is computed again when another writer changed the case first.
CONFLICT_ATTEMPTS = 3
#: The special holidays a deadline computed today can meet: none older than the
#: lookback, none further ahead than the horizon (the longest deadline, a
#: checkpoint, is about half a month ahead, plus holidays in a row).
HOLIDAY_LOOKBACK = timedelta(days=62)
HOLIDAY_HORIZON = timedelta(days=120)
#: How far after a changed holiday a running deadline can lie and still depend on it.
DEADLINE_REACH = timedelta(days=35)


@dataclass(frozen=True)
class Filed:
    case: Case
    tracking_token: str


class ComplaintService:
    def __init__(self, store: CaseStore, catalogue: Catalogue, notices: Notices,
                 policy: lifecycle.SlaPolicy = lifecycle.DEFAULT_POLICY):
        self.store = store
        self.catalogue = catalogue
        self.notices = notices
        self.policy = policy

    def _commit(self, change: lifecycle.Change, now: datetime, create: bool = False) -> Case:
        """Store the change (case and events in one transaction), then send what its events owe."""
        if create:
            self.store.create(change)
        else:
            self.store.save(change)
        self.notices.deliver(change.case, change.events, now)
        return change.case

    def calendar(self, today: date) -> BusinessCalendar:
        """The business calendar with the operators' special holidays as stored right now."""
        added, removed = self.store.special_holidays(today - HOLIDAY_LOOKBACK, today + HOLIDAY_HORIZON)
        return BusinessCalendar.with_specials(added, removed)

    # --- intake -------------------------------------------------------------------

    def file(self, body: ComplaintIn, actor: Actor, now: datetime) -> Filed:
        """Record a complaint and route it at once where category and district decide."""
        self.catalogue.category(body.category)
        district = self.catalogue.district_code(body.location.district) if body.location.district else None
        if body.location.lat is not None and body.location.lon is not None \
                and not in_bangkok(body.location.lat, body.location.lon):
            raise InvalidInput("the location is outside Bangkok (lat 13.45–14.00, lon 100.30–100.98); "
                               "check that lat and lon are not swapped")
        decision = self.catalogue.route(body.category, district)
        # Only a dispatch starts a business-day clock: read the special holidays only then.
        calendar = self.calendar(local_date(now)) if decision.kind == "agency" else BusinessCalendar()
        token = new_tracking_token()
        for _ in range(ID_ATTEMPTS):
            draft = Case(
                id=new_case_id(now), state=State.TRIAGE, category=body.category,
                description=body.description,
                location=Location(lat=body.location.lat, lon=body.location.lon, address=body.location.address),
                district=district, channel=body.channel, urgent=body.urgent, notify=body.notify,
                photos=tuple(str(p) for p in body.photos), received_at=now,
                complainant=Complainant(**body.complainant.model_dump()), token_hash=hash_token(token),
            )
            change = lifecycle.receive(draft, decision, calendar, actor)
            try:
                case = self._commit(change, now, create=True)
            except Conflict:
                continue  # the random id was taken: draw another
            return Filed(case, token)
        raise RuntimeError("could not draw a free case id")

    # --- reading ------------------------------------------------------------------

    def get(self, case_id: str, actor: Actor, token: str | None) -> tuple[Case, list[HistoryEvent], bool]:
        """The case and history, and whether the reader sees it as staff.

        Staff see every case but agency officers only their agency's. Anyone else
        needs the tracking token; a wrong or missing token is "not found", so that
        no one learns which ids exist.
        """
        try:
            case, history = self.store.get(case_id)
        except NotFound:
            raise NotFound(f"no complaint '{case_id}' (or the token is wrong)") from None
        if actor.role in STAFF_ROLES:
            if actor.role is Role.AGENCY and (case.agency is None or case.agency.id != actor.agency_id):
                raise Forbidden("this case is not assigned to your agency")
            return case, history, True
        if not (token_matches(token, case.token_hash)
                or citizen_token_matches(self.notices.secret(), case_id, token)):
            raise NotFound(f"no complaint '{case_id}' (or the token is wrong)")
        return case, history, False

    def open_agency_link(self, token: str, now: datetime) -> tuple[Case, list[HistoryEvent], Actor]:
        """The case an agency link opens, and the agency acting through it.

        :class:`LinkRefused` (403) when the link is tampered with, expired, or for a
        dispatch the case has left (routed elsewhere since).
        """
        grant = read_agency_token(self.notices.secret(), token, now)
        try:
            case, history = self.store.get(grant.case_id)
        except NotFound:
            raise LinkRefused("tampered", "this link is not valid") from None
        check_current(grant, case)
        return case, history, Actor(role=Role.AGENCY, id="link", agency_id=grant.agency_id)

    def list(self, actor: Actor, now: datetime, limit: int, cursor: str | None,
             **filters: Any) -> Page:
        if actor.role is Role.AGENCY:
            if filters.get("agency") not in (None, actor.agency_id):
                raise Forbidden("an agency officer sees only their own agency's cases")
            filters["agency"] = actor.agency_id
        if filters.get("agency"):
            self.catalogue.agency(filters["agency"])
        if filters.get("district"):
            filters["district"] = self.catalogue.district_code(filters["district"])
        if filters.get("category"):
            self.catalogue.category(filters["category"])
        return self.store.list(CaseQuery(now=now, **filters), limit, cursor)

    # --- the call centre ----------------------------------------------------------

    def route(self, case_id: str, body: RouteIn, actor: Actor, now: datetime) -> Case:
        case, _ = self.store.get(case_id)
        if body.external is not None:
            org = self.catalogue.agency(body.external.agency_id)
            if org.kind != "external":
                raise InvalidInput(f"'{org.id}' is a city agency, not an outside organisation; "
                                   "route to it with agency_id")
            change = lifecycle.refer(case, org, body.external.channel, body.external.reference,
                                     actor, now, body.note)
        else:
            agency = self.catalogue.agency(body.agency_id or "")
            if agency.kind == "external":
                raise InvalidInput(f"'{agency.id}' is outside the city's authority; refer to it with "
                                   "external")
            if case.agency and case.agency.id == agency.id and case.state is State.DISPATCHED:
                raise InvalidInput(f"the case is already with '{agency.id}'")
            change = lifecycle.route(case, agency, self._section(case, agency.kind, body.section), actor,
                                     now, self.calendar(local_date(now)), body.note)
        return self._commit(change, now)

    def _section(self, case: Case, agency_kind: str, section: str | None) -> str | None:
        if agency_kind != "district":
            return None
        if section:
            return section
        unit, _, target = self.catalogue.category(case.category).unit.partition(":")
        return target if unit == "district" else None

    # --- the agency -----------------------------------------------------------------

    def act(self, case_id: str, action: str, actor: Actor, now: datetime, note: str | None = None,
            expected_completion: date | None = None, evidence_urls: tuple[str, ...] = (),
            expected_version: int | None = None) -> Case:
        """An agency action (acknowledge, progress, complete, handback) on the case as it is now.

        ``expected_version``: the version the actor saw (the action page's form);
        when the case has changed since, the action is refused as a conflict, so a
        form posted twice does its action once.
        """
        case, _ = self.store.get(case_id)
        if expected_version is not None and expected_version != case.version:
            raise Conflict(f"case {case_id} has changed since this page was loaded; it is now '{case.state}'")
        if action == "acknowledge":
            change = lifecycle.acknowledge(case, actor, now, self.calendar(local_date(now)), note)
        elif action == "progress":
            change = lifecycle.progress(case, actor, now, self.calendar(local_date(now)), note,
                                        expected_completion)
        elif action == "complete":
            change = lifecycle.complete(case, actor, now, note, evidence_urls, self.policy)
        elif action == "handback":
            if not note:
                raise InvalidInput("a hand-back needs a reason")
            change = lifecycle.handback(case, actor, now, note, self.calendar(local_date(now)))
        else:
            raise InvalidInput(f"unknown action '{action}'")
        return self._commit(change, now)

    def apply(self, case: Case, decide: Callable[[Case], lifecycle.Change | None]) -> lifecycle.Change | None:
        """Store what ``decide`` makes of the case; when someone changed it first, read the case
        again and decide again (a few times). None when there is nothing to do."""
        for _ in range(CONFLICT_ATTEMPTS):
            change = decide(case)
            if change is None:
                return None
            try:
                self.store.save(change)
                return change
            except Conflict:
                case = self.store.get_case(case.id)
        raise Conflict(f"case {case.id} kept changing; try again")

    # --- the citizen's word, and reopening -------------------------------------------------

    def feedback(self, case_id: str, token: str | None, fixed: bool, satisfied: bool, comment: str | None,
                 now: datetime) -> Case:
        """The citizen (holder of the token) says whether it was really fixed: yes closes, no reopens."""
        citizen = Actor(role=Role.CITIZEN)
        case, _, _ = self.get(case_id, citizen, token)
        change = lifecycle.feedback(case, citizen, now, fixed, satisfied, comment,
                                    self.calendar(local_date(now)), self.policy)
        return self._commit(change, now)

    def reopen(self, case_id: str, reason: str, actor: Actor, now: datetime) -> Case:
        """The call centre reopens on a caller's behalf, within the dispute window."""
        case, _ = self.store.get(case_id)
        return self._commit(lifecycle.reopen(case, actor, now, reason, self.calendar(local_date(now)),
                                             self.policy), now)

    # --- special holidays ---------------------------------------------------------

    def holidays(self, year: int) -> list[dict[str, Any]]:
        """The year's non-working holidays as the SLA engine sees them, with their source."""
        added, removed = self.store.special_holidays(date(year, 1, 1), date(year, 12, 31))
        cal = BusinessCalendar.with_specials()
        out = []
        day = date(year, 1, 1)
        while day.year == year:
            official = cal.holiday_name(day)
            if day in added:
                out.append({"date": day.isoformat(), "name": added[day], "source": "special"})
            elif official and day in removed:
                out.append({"date": day.isoformat(), "name": official, "source": "official",
                            "removed": True})
            elif official:
                out.append({"date": day.isoformat(), "name": official, "source": "official"})
            day += timedelta(days=1)
        return out

    def put_holiday(self, day: date, body: HolidayIn, actor: Actor, now: datetime) -> dict[str, Any]:
        official = BusinessCalendar.with_specials().holiday_name(day)
        if body.removed and not official:
            raise InvalidInput(f"{day} is not an official holiday, so there is nothing to remove")
        self.store.put_special_holiday(day, body.name, body.removed, actor.id or actor.role)
        what = f"{'cancelled' if body.removed else 'special'} holiday {day}: {body.name or official}"
        return {"date": day.isoformat(), "name": body.name or official,
                "source": "official" if body.removed else "special", "removed": body.removed,
                "deadlines_moved": self._move_deadlines(day, now, what)}

    def delete_holiday(self, day: date, now: datetime) -> dict[str, Any]:
        if not self.store.delete_special_holiday(day):
            raise NotFound(f"no special holiday on {day}")
        return {"deleted": day.isoformat(), "deadlines_moved": self._move_deadlines(day, now, f"{day}: back to normal")}

    def _move_deadlines(self, day: date, now: datetime, note: str) -> int:
        """Running deadlines that a change of ``day`` can move: those from that day to a month
        after (no clock counts more than a few business days past a holiday). Each moved
        deadline is a ``deadline_moved`` event."""
        calendar = self.calendar(local_date(now))
        start = datetime.combine(day, time.min, tzinfo=BANGKOK)
        moved = 0
        for indexed in self.store.cases_due_between(start, start + DEADLINE_REACH):
            # the index may lag: act on the case itself
            change = self.apply(self.store.get_case(indexed.id),
                                lambda case: lifecycle.recompute_due(case, calendar, now, note))
            moved += change is not None
        return moved

