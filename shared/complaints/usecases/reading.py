"""Reading cases: one case for staff or for its citizen, the staff list, and the agency link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..commands import CountDue, ListCases, ListReceived, OpenAgencyLink, ReadCase, SearchByPhone
from ..domain.errors import BadRequest, Forbidden, NotFound
from ..domain.events import HistoryEvent
from ..domain.ids import token_matches
from ..domain.links import LinkRefused, LinkSigner, check_current
from ..domain.model import STAFF_ROLES, Actor, Case, Role
from ..domain.privacy import CONTACT_ROLES
from ..domain.queues import ListOrder, due_windows
from ..domain.routing import Catalogue
from ..ports import CaseQuery, CaseRepository, CatalogueSource, Page


@dataclass(frozen=True)
class CaseRead:
    case: Case
    history: list[HistoryEvent]
    as_staff: bool  # False: the citizen, who sees the citizen's view


@dataclass(frozen=True)
class AgencyLink:
    case: Case
    history: list[HistoryEvent]
    actor: Actor  # the agency acting through the link


@dataclass(frozen=True)
class DueCounts:
    """An agency's queue at ``as_of``: deadlines passed, and those left today (Bangkok)."""

    agency: str
    overdue: int
    due_today: int
    as_of: datetime


#: The public list's longest window and most cases (Open311's GET requests: 90 days, 1,000 cases).
PUBLIC_WINDOW = timedelta(days=90)
PUBLIC_LIMIT = 1000

#: Who may count an agency's queue (agency officers: their own agency's only).
COUNT_ROLES = (Role.AGENCY, Role.CALLCENTER, Role.ADMIN, Role.EXECUTIVE)


class Reading:
    def __init__(self, cases: CaseRepository, reference: CatalogueSource, links: LinkSigner):
        self.cases = cases
        self.reference = reference
        self.links = links

    @property
    def catalogue(self) -> Catalogue:
        return self.reference.catalogue

    def get(self, cmd: ReadCase) -> CaseRead:
        """Staff see every case but agency officers only their agency's. Anyone else needs the
        tracking token. A wrong or missing token, like another agency's case, is "not found", so
        that no one learns which ids exist.
        """
        unknown = NotFound(f"no complaint '{cmd.case_id}' (or the token is wrong)")
        try:
            case, history = self.cases.get(cmd.case_id)
        except NotFound:
            raise unknown from None
        actor = cmd.actor
        if actor.role in STAFF_ROLES:
            if actor.role is Role.AGENCY and (case.agency is None or case.agency.id != actor.agency_id):
                raise unknown  # another agency's case is "not found", as an unknown id: ids cannot be probed
            return CaseRead(case, history, True)
        if case.anonymised_at is not None:  # erased: no token ties anyone to this case any more
            raise unknown
        if not (token_matches(cmd.token, case.token_hash) or self.links.citizen_matches(cmd.case_id, cmd.token)):
            raise unknown
        return CaseRead(case, history, False)

    def open_agency_link(self, cmd: OpenAgencyLink) -> AgencyLink:
        """The case an agency link opens, and the agency acting through it.

        :class:`LinkRefused` (403) when the link is tampered with, expired, or for a
        dispatch the case has left (routed elsewhere since).
        """
        grant = self.links.read_agency(cmd.token, cmd.at)
        try:
            case, history = self.cases.get(grant.case_id)
        except NotFound:
            raise LinkRefused("tampered", "this link is not valid") from None
        check_current(grant, case)
        return AgencyLink(case, history, Actor(role=Role.AGENCY, id="link", agency_id=grant.agency_id))

    def refresh(self, link: AgencyLink) -> AgencyLink:
        """The linked case as it is now, after the agency acted through the link (which may have
        ended its right to act: a hand-back; the page then shows the case without forms)."""
        case, history = self.cases.get(link.case.id)
        return AgencyLink(case, history, link.actor)

    def _agency(self, actor: Actor, agency: str | None) -> str | None:
        """The agency a list or count is of: an agency officer's own (implicitly), known."""
        if actor.role is Role.AGENCY:
            if not actor.agency_id:
                raise Forbidden("an agency officer's account names no agency (custom:agency_id)")
            if agency not in (None, actor.agency_id):
                raise Forbidden("an agency officer sees only their own agency's cases")
            agency = actor.agency_id
        if agency:
            self.catalogue.agency(agency)
        return agency

    def list(self, cmd: ListCases) -> Page:
        agency, district = self._agency(cmd.actor, cmd.agency), cmd.district
        if cmd.order is ListOrder.DEADLINE and not agency:
            raise BadRequest("order=deadline lists an agency's queue: name the agency (agency=…)")
        if district:
            district = self.catalogue.district_code(district)
        if cmd.category:
            self.catalogue.category(cmd.category)
        query = CaseQuery(
            now=cmd.at,
            agency=agency,
            state=cmd.state,
            district=district,
            category=cmd.category,
            overdue=cmd.overdue,
            order=cmd.order,
        )
        # the cursor is signed and bound to the caller's role and agency and to the filters: an
        # edited cursor, or one replayed by another caller or with other filters, is refused
        binding = f"{cmd.actor.role}|{cmd.actor.agency_id or ''}|{query.fingerprint()}"
        page = self.cases.list(query, cmd.limit, self.links.read_cursor(binding, cmd.cursor))
        return Page(page.cases, self.links.sign_cursor(binding, page.cursor))

    def by_phone(self, cmd: SearchByPhone) -> Page:
        """A caller's cases, newest first: only for those who may see contact details (the number
        is one). The cursor is signed and bound to the caller and the number."""
        if cmd.actor.role not in CONTACT_ROLES:
            raise Forbidden(f"the role '{cmd.actor.role}' may not search cases by the caller's phone")
        binding = f"{cmd.actor.role}|{cmd.actor.agency_id or ''}|phone:{cmd.phone}"
        page = self.cases.by_phone(cmd.phone, cmd.limit, self.links.read_cursor(binding, cmd.cursor))
        return Page(page.cases, self.links.sign_cursor(binding, page.cursor))

    def public(self, case_id: str) -> Case:
        """A case as anyone may see it by its id, without a token (Open311): the edge shows no
        contact details (``views``' rule); :class:`NotFound` for an unknown id."""
        return self.cases.get_case(case_id)

    def received(self, cmd: ListReceived) -> list[Case]:
        """The public list: at most 90 days of receipts, at most 1,000 cases, newest first; every
        category named must exist (:class:`InvalidInput` otherwise)."""
        if cmd.end < cmd.start:
            raise BadRequest("the window ends before it starts")
        if cmd.end - cmd.start > PUBLIC_WINDOW:
            raise BadRequest(f"the window is over {PUBLIC_WINDOW.days} days: ask for at most {PUBLIC_WINDOW.days}")
        for code in cmd.categories:
            self.catalogue.category(code)
        return self.cases.received(cmd.states, cmd.start, cmd.end, cmd.categories, min(cmd.limit, PUBLIC_LIMIT))

    def due_counts(self, cmd: CountDue) -> DueCounts:
        """How many of an agency's running duty deadlines have passed at ``cmd.at`` and how many
        end later on the same Bangkok day (an agency's queue; the call centre, admins and
        executives may count any agency's)."""
        if cmd.actor.role not in COUNT_ROLES:
            raise Forbidden(f"the role '{cmd.actor.role}' may not count an agency's queue")
        agency = self._agency(cmd.actor, cmd.agency)
        if not agency:
            raise BadRequest("name the agency whose queue to count (agency=…)")
        window = due_windows(cmd.at)
        overdue = self.cases.count_due(agency, None, window.now)
        today = self.cases.count_due(agency, window.now, window.midnight)
        return DueCounts(agency, overdue, today, cmd.at)
