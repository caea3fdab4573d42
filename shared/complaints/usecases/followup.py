"""After completion (rule 5): the citizen's answer, and the call centre's reopen on a caller's behalf."""

from __future__ import annotations

from ..commands import GiveFeedback, ReadCase, ReopenCase
from ..domain import followup
from ..domain.model import Actor, Case, Role
from .base import Workflow
from .reading import Reading


class FollowUp:
    def __init__(self, workflow: Workflow, reading: Reading):
        self.w = workflow
        self.reading = reading

    def feedback(self, cmd: GiveFeedback) -> Case:
        """The citizen (holder of the token) says whether it was really fixed: yes closes, no reopens."""
        citizen = Actor(role=Role.CITIZEN)
        self.reading.get(ReadCase(actor=citizen, case_id=cmd.case_id, token=cmd.token))  # the token first
        calendar = self.w.calendars.at(cmd.at)
        return self.w.change(
            cmd.case_id,
            lambda case: followup.feedback(
                case, citizen, cmd.at, cmd.fixed, cmd.satisfied, cmd.comment, calendar, self.w.policy
            ),
            cmd.at,
        )

    def reopen(self, cmd: ReopenCase) -> Case:
        """The call centre reopens on a caller's behalf, within the dispute window."""
        calendar = self.w.calendars.at(cmd.at)
        return self.w.change(
            cmd.case_id,
            lambda case: followup.reopen(case, cmd.actor, cmd.at, cmd.reason, calendar, self.w.policy),
            cmd.at,
        )
