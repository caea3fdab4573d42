"""The agency's actions on a case (rules 2–3): acknowledge, report progress, complete, hand back."""

from __future__ import annotations

from functools import singledispatchmethod

from ..commands import Acknowledge, AgencyCommand, Complete, HandBack, ReportProgress
from ..domain import evidence, lifecycle
from ..domain.changes import Change
from ..domain.errors import Conflict, InvalidInput, NotFound
from ..domain.model import Case, Role
from .base import Workflow
from .photos import Photos, Taken


class PhotoRequired(InvalidInput):
    """The category's fix can be seen: the completion needs an "after" photo."""

    code = "photo_required"
    status = 400


class AgencyActions:
    def __init__(self, workflow: Workflow, photos: Photos):
        self.w = workflow
        self.photos = photos

    def act(self, cmd: AgencyCommand) -> Case:
        """The action on the case as it is now; refused as a conflict when the case changed since
        the version the actor saw (so a form posted twice does its action once)."""
        if not isinstance(cmd, Complete):
            return self.w.change(cmd.case_id, lambda case: self._decide(cmd, case), cmd.at)
        self._may_complete(cmd, self.w.cases.get_case(cmd.case_id))  # refused before any photo is written
        taken = self.photos.take(cmd.evidence_urls, cmd.actor, cmd.at)
        try:
            case = self.w.change(
                cmd.case_id,
                lambda case: self._complete(cmd, case, taken),
                cmd.at,
                also=taken.claims(cmd.case_id, cmd.at),
            )
        except Exception:
            self.photos.undo(taken)
            raise
        self.photos.done(taken)
        return case

    def _may_complete(self, cmd: Complete, case: Case) -> None:
        """Refusals that need no photo processing: not this agency's case, a stale page, and a
        missing "after" photo where the category needs one (a URL counts, for API clients)."""
        self._mine(cmd, case)
        category = self.w.catalogue.category(case.category)
        if evidence.needs_after_photo(category) and not cmd.evidence_urls:
            raise PhotoRequired(
                f"completing a '{category.name_en}' case needs a photo of the result; ต้องมีรูปหลังแก้ไขจึงจะแจ้งเสร็จได้"
            )

    def _complete(self, cmd: Complete, case: Case, taken: Taken) -> Change:
        """The completion with its photos as stored, each checked against the complaint."""
        self._mine(cmd, case)
        checks = evidence.check(case, taken.facts)
        calendar = self.w.calendars.at(cmd.at)
        return lifecycle.complete(case, cmd.actor, cmd.at, cmd.note, taken.refs, calendar, self.w.policy, checks)

    def _decide(self, cmd: AgencyCommand, case: Case) -> Change:
        self._mine(cmd, case)
        return self._change(cmd, case)

    def _mine(self, cmd: AgencyCommand, case: Case) -> None:
        if cmd.actor.role is Role.AGENCY and (case.agency is None or case.agency.id != cmd.actor.agency_id):
            # another agency's case is "not found", exactly as an unknown id: ids cannot be probed
            raise NotFound(f"no complaint '{cmd.case_id}'")
        if cmd.expected_version is not None and cmd.expected_version != case.version:
            raise Conflict(f"case {cmd.case_id} has changed since this page was loaded; it is now '{case.state}'")

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
    def _(self, cmd: HandBack, case: Case) -> Change:
        if not cmd.reason:
            raise InvalidInput("a hand-back needs a reason")
        return lifecycle.handback(case, cmd.actor, cmd.at, cmd.reason, self.w.calendars.at(cmd.at))
