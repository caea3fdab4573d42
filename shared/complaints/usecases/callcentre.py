"""The call centre's work on a case (rule 1): route, re-route, refer outside, close, take back."""

from __future__ import annotations

from ..commands import CloseCase, ReferOutside, ReturnToTriage, RouteToAgency
from ..domain import lifecycle
from ..domain.changes import Change
from ..domain.errors import InvalidInput
from ..domain.model import Case, State
from .base import Workflow


class CallCentre:
    def __init__(self, workflow: Workflow):
        self.w = workflow

    def route(self, cmd: RouteToAgency) -> Case:
        agency = self.w.catalogue.agency(cmd.agency_id)
        if agency.kind == "external":
            raise InvalidInput(f"'{agency.id}' is outside the city's authority; refer to it with external")
        calendar = self.w.calendars.at(cmd.at)

        def decide(case: Case) -> Change:
            if case.agency and case.agency.id == agency.id and case.state is State.DISPATCHED:
                raise InvalidInput(f"the case is already with '{agency.id}'")
            section = self._section(case, agency.kind, cmd.section)
            return lifecycle.route(case, agency, section, cmd.actor, cmd.at, calendar, cmd.note)

        return self.w.change(cmd.case_id, decide, cmd.at)

    def refer(self, cmd: ReferOutside) -> Case:
        org = self.w.catalogue.agency(cmd.agency_id)
        if org.kind != "external":
            raise InvalidInput(f"'{org.id}' is a city agency, not an outside organisation; route to it with agency_id")
        return self.w.change(
            cmd.case_id,
            lambda case: lifecycle.refer(case, org, cmd.channel, cmd.reference, cmd.actor, cmd.at, cmd.note),
            cmd.at,
        )

    def close(self, cmd: CloseCase) -> Case:
        """A triage case that needs no agency (withdrawn, a duplicate, an inquiry answered), or a
        referral the outside organisation has dealt with."""
        return self.w.change(cmd.case_id, lambda case: lifecycle.close(case, cmd.actor, cmd.at, cmd.reason), cmd.at)

    def return_to_triage(self, cmd: ReturnToTriage) -> Case:
        """A referral the outside organisation sent back: the call centre routes it again."""
        calendar = self.w.calendars.at(cmd.at)
        return self.w.change(
            cmd.case_id, lambda case: lifecycle.return_to_triage(case, cmd.actor, cmd.at, cmd.reason, calendar), cmd.at
        )

    def _section(self, case: Case, agency_kind: str, section: str | None) -> str | None:
        """A district office's section: the one given, else the category's."""
        if agency_kind != "district":
            return None
        if section:
            return section
        unit, _, target = self.w.catalogue.category(case.category).unit.partition(":")
        return target if unit == "district" else None
