"""Filing a complaint (rule 1): recorded, and routed at once where category and district decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..commands import FileComplaint
from ..domain import lifecycle
from ..domain.calendar import BusinessCalendar, local_date
from ..domain.errors import Conflict, InvalidInput, UsedMeanwhile
from ..domain.ids import hash_token
from ..domain.model import Case, Role, State
from ..domain.privacy import NOTIFIED_CASES_PER_DAY, recipient_key
from ..domain.routing import in_bangkok
from ..ports import Ids, PrivacyStore
from .base import Workflow
from .photos import Photos, Taken

ID_ATTEMPTS = 5


@dataclass(frozen=True)
class Filed:
    case: Case
    tracking_token: str  # given to the citizen once; only its hash is stored
    notices_limited: bool = False  # notify was asked, but the recipient's daily limit was reached


class Intake:
    def __init__(self, workflow: Workflow, ids: Ids, quota: PrivacyStore, secret: Callable[[], bytes], photos: Photos):
        self.w = workflow
        self.photos = photos
        self.ids = ids
        self.quota = quota
        self.secret = secret

    def _may_notify(self, cmd: FileComplaint) -> bool:
        """An anonymous filer may have notices sent to one phone or address for a few cases a day
        (``domain.privacy``): anyone could otherwise make the centre text any number. The call
        centre, which speaks with the caller, is not limited."""
        if not cmd.notify or cmd.actor.role is not Role.CITIZEN:
            return cmd.notify
        key = recipient_key(self.secret(), cmd.complainant)
        return key is None or self.quota.count_notified(key, local_date(cmd.at), NOTIFIED_CASES_PER_DAY)

    def file(self, cmd: FileComplaint) -> Filed:
        catalogue = self.w.catalogue
        catalogue.category(cmd.category)
        district = catalogue.district_code(cmd.district) if cmd.district else None
        loc = cmd.location
        if loc.lat is not None and loc.lon is not None and not in_bangkok(loc.lat, loc.lon):
            raise InvalidInput(
                "the location is outside Bangkok (lat 13.45–14.00, lon 100.30–100.98); "
                "check that lat and lon are not swapped"
            )
        decision = catalogue.route(cmd.category, district)
        # Only a dispatch starts a business-day clock: read the special holidays only then.
        calendar = self.w.calendars.at(cmd.at) if decision.kind == "agency" else BusinessCalendar()
        taken = self.photos.take(cmd.photos, cmd.actor, cmd.at)  # refused here: nothing written yet
        try:
            filed = self._file(cmd, decision, district, calendar, taken)
        except Exception:
            self.photos.undo(taken)
            raise
        self.photos.done(taken)
        return filed

    def _file(
        self,
        cmd: FileComplaint,
        decision: Any,
        district: str | None,
        calendar: BusinessCalendar,
        taken: Taken,
    ) -> Filed:
        notify = self._may_notify(cmd)
        token = self.ids.tracking_token()
        for _ in range(ID_ATTEMPTS):
            draft = Case(
                id=self.ids.case_id(cmd.at),
                state=State.TRIAGE,
                category=cmd.category,
                description=cmd.description,
                location=cmd.location,
                district=district,
                channel=cmd.channel,
                urgent=cmd.urgent,
                notify=notify,
                photos=taken.refs,
                received_at=cmd.at,
                complainant=cmd.complainant,
                token_hash=hash_token(token),
            )
            change = lifecycle.receive(draft, decision, calendar, cmd.actor)
            try:
                case = self.w.commit(change, cmd.at, create=True, also=taken.claims(draft.id, cmd.at))
            except UsedMeanwhile:
                raise  # a photo was used by another request meanwhile
            except Conflict:
                continue  # the random id was taken: draw another
            return Filed(case, token, notices_limited=cmd.notify and not notify)
        raise RuntimeError("could not draw a free case id")
