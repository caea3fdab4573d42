"""The outbox: notices owed by history events, sent once, retried until sent.

A history event lists the notices it owes (``event.notices``); they are written
with the event, in the same transaction as the case change. After the write,
:meth:`Notices.deliver` claims each owed notice on the event (a conditional
write), sends it with the sender registered for it, and records the outcome:
``sent``, ``skipped`` (nothing to send: no address, routed elsewhere since…),
or a failure. A failed notice stays in the sparse outbox index, which the daily
sweep reads to retry: never lost. A claim older than 15 minutes belongs to a
sender that died between claim and record; it is claimed again, so the only
duplicate possible is a crash between the provider accepting a message and
our record of it (a failed record is written a second time).

Delivery never fails the change it follows: the change is stored, and a notice
the outbox could not claim or record waits in the outbox index for the sweep.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from ..domain.events import EventType, HistoryEvent, Late, Notice
from ..domain.model import Case
from ..ports import OutboxStore
from .senders import Sender

logger = Logger(child=True)
#: A claim older than this is from a sender that died before it could record the outcome.
STALE_CLAIM = timedelta(minutes=15)
REMINDERS = (EventType.CHASED, EventType.ESCALATED)


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def failure(err: Exception) -> str:
    """What the outbox keeps of a failed send: the error's class and the provider's error code, never
    its message (SES and SNS name the address or the phone number they refused)."""
    code = getattr(err, "response", {}).get("Error", {}).get("Code")
    return f"{type(err).__name__}: {code}" if code else type(err).__name__


def _still_late(case: Case, event: HistoryEvent) -> bool:
    """The deadline a reminder is about still runs, unmet."""
    return case.due is not None and isinstance(event.data, Late) and case.due.at == event.data.due


class Notices:
    """Delivers what events owe, through the outbox, with one sender per notice."""

    def __init__(self, outbox: OutboxStore, senders: Mapping[Notice, Sender]):
        self.outbox = outbox
        self.senders = dict(senders)

    def deliver(self, case: Case, events: Iterable[HistoryEvent], now: datetime) -> Outcome:
        """Send what each event owes and nobody has sent; ``case`` is the case now.

        Safe to call again for the same events (a retried invocation, the sweep):
        each notice is claimed with a conditional write before it is sent.
        """
        sent = skipped = failed = 0
        for event in events:
            if not event.notices:
                continue
            try:
                claim = self.outbox.claim(case.id, event.seq, event.notices, now, now - STALE_CLAIM)
            except Exception as err:  # the change is stored: its notices wait in the outbox for the sweep
                logger.error(
                    "outbox unavailable", extra={"case": case.id, "seq": event.seq, "error": type(err).__name__}
                )
                failed += len(event.notices)
                continue
            if not claim.claimed:
                continue
            outcomes: dict[Notice, str] = {}
            failures: dict[Notice, str] = {}
            for notice in claim.claimed:
                try:
                    outcomes[notice] = self._send(case, event, notice, now)
                except Exception as err:  # any provider failure is kept and retried
                    logger.warning(
                        "notice failed",
                        extra={"case": case.id, "seq": event.seq, "notice": notice, "error": type(err).__name__},
                    )
                    failures[notice] = failure(err)
            finished = set(claim.done) | set(outcomes)
            self._finish(case, event, outcomes, failures, now, done=finished >= set(event.notices))
            sent += sum(o == "sent" for o in outcomes.values())
            skipped += sum(o == "skipped" for o in outcomes.values())
            failed += len(failures)
        return Outcome(sent, skipped, failed)

    def _finish(
        self,
        case: Case,
        event: HistoryEvent,
        outcomes: dict[Notice, str],
        failures: dict[Notice, str],
        now: datetime,
        done: bool,
    ) -> None:
        """Record the outcomes, a second time if the first write fails: a notice that went out but
        stays claimed would be sent again once its claim is stale."""
        for attempt in (1, 2):
            try:
                self.outbox.finish(case.id, event.seq, outcomes, failures, now, done=done)
                return
            except Exception as err:
                logger.error(
                    "outcome not recorded",
                    extra={"case": case.id, "seq": event.seq, "attempt": attempt, "error": type(err).__name__},
                )

    def _send(self, case: Case, event: HistoryEvent, notice: Notice, now: datetime) -> str:
        if event.type in REMINDERS and not _still_late(case, event):
            return "skipped"  # the agency acted before this reminder went out
        sender = self.senders.get(notice)
        if sender is None:
            raise ValueError(f"no sender for the notice '{notice}'")
        return sender.send(case, event, now)
