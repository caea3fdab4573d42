"""The agency's actions on a case (rules 2–3): acknowledge, report progress, complete, hand back."""

from __future__ import annotations

from functools import singledispatchmethod

from ..commands import Acknowledge, AgencyCommand, Complete, HandBack, ReportProgress
from ..domain import lifecycle
from ..domain.changes import Change
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.model import Case, Role
from .base import Workflow


class AgencyActions:
    def __init__(self, workflow: Workflow):
        self.w = workflow

    def act(self, cmd: AgencyCommand) -> Case:
        """The action on the case as it is now; refused as a conflict when the case changed since
        the version the actor saw (so a form posted twice does its action once)."""
        return self.w.change(cmd.case_id, lambda case: self._decide(cmd, case), cmd.at)

    def _decide(self, cmd: AgencyCommand, case: Case) -> Change:
        if cmd.actor.role is Role.AGENCY and (case.agency is None or case.agency.id != cmd.actor.agency_id):
            # another agency's case is "not found", exactly as an unknown id: ids cannot be probed
            raise NotFound(f"no complaint '{cmd.case_id}'")
        if cmd.expected_version is not None and cmd.expected_version != case.version:
            raise Conflict(f"case {cmd.case_id} has changed since this page was loaded; it is now '{case.state}'")
        return self._change(cmd, case)

    @singledispatchmethod
    def _change(self, cmd: AgencyCommand, case: Case) -> Change:
        raise InvalidInput(f"unknown action '{cmd.action}'")

    @_change.register
    def _(self, cmd: Acknowledge, case: Case) -> Change:
        return lifecycle.acknowledge(case, cmd.actor, cmd.at, self.w.calendars.at(cmd.at), cmd.note)

    @_change.register
    def _(self, cmd: ReportProgress, case: Case) -> Change:
        return lifecycle.progress(
            case, cmd.actor, cmd.at, self.w.calendars.at(cmd.at), cmd.note, cmd.expected_completion
        )

    @_change.register
    def _(self, cmd: Complete, case: Case) -> Change:
        calendar = self.w.calendars.at(cmd.at)
        return lifecycle.complete(case, cmd.actor, cmd.at, cmd.note, cmd.evidence_urls, calendar, self.w.policy)

    @_change.register
    def _(self, cmd: HandBack, case: Case) -> Change:
        if not cmd.reason:
            raise InvalidInput("a hand-back needs a reason")
        return lifecycle.handback(case, cmd.actor, cmd.at, cmd.reason, self.w.calendars.at(cmd.at))
