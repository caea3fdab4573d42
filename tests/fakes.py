"""In-memory fakes of the ports (``complaints.ports``), for the use cases' unit tests.

Each fake keeps the contract of its DynamoDB adapter (``complaints.adapters.dynamo``,
``docs/data-model.md``): a change is all-or-nothing on the version that was read,
an event that owes notices sits in the outbox until they are all sent, a completed
event waits for the audit draw, and so on. They share one :class:`MemoryState`, as
the adapters share one table. No AWS, no sockets, no clock: instants come from the
callers.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from complaints.domain.api_keys import StoredKey
from complaints.domain.audit import Candidate, Draw, audit_id
from complaints.domain.calendar import BANGKOK, local_date
from complaints.domain.changes import Change
from complaints.domain.errors import Conflict, InvalidInput, NotFound
from complaints.domain.events import EventType, HistoryEvent, Notice
from complaints.domain.ids import ALPHABET, RandomIds
from complaints.domain.model import Case, DueKind, State
from complaints.domain.privacy import personal_fields
from complaints.domain.queues import ListOrder, queue_deadline
from complaints.domain.reference import ReferenceChange, Stored
from complaints.ports import (
    AlsoWrite,
    Audit,
    AuditTally,
    CaseQuery,
    CaseRecord,
    ChangePage,
    Claim,
    ClaimUpload,
    CloseAudit,
    Page,
    SpecialHolidays,
    StoredObject,
    Upload,
    UploadForm,
)

SETTLED = ("sent", "skipped")
AUDIT_CHUNK = 40  # the adapter records a draw 40 candidates per transaction


# --- the shared state -------------------------------------------------------------------------------


@dataclass
class Delivery:
    """The outbox bookkeeping of an event that owes notices (the adapter's ``sent``/``failures`` maps)."""

    sent: dict[Notice, tuple[str, datetime]] = field(default_factory=dict)  # sending | sent | skipped, when
    failures: dict[Notice, tuple[str, datetime]] = field(default_factory=dict)  # the error, when
    owed: bool = True  # still in the sparse outbox index


@dataclass
class AuditMonth:
    drawn: int = 0
    pool: set[str] = field(default_factory=set)  # "<case id>#<seq>" of completions not drawn
    settled: datetime | None = None


@dataclass
class MemoryState:
    """What the one table holds."""

    cases: dict[str, Case] = field(default_factory=dict)
    events: dict[str, dict[int, HistoryEvent]] = field(default_factory=dict)
    deliveries: dict[tuple[str, int], Delivery] = field(default_factory=dict)
    awaiting_draw: set[tuple[str, int]] = field(default_factory=set)  # completed events not yet drawn
    holidays: dict[date, dict[str, Any]] = field(default_factory=dict)
    audits: dict[str, Audit] = field(default_factory=dict)
    verdicts: dict[str, CloseAudit] = field(default_factory=dict)
    months: dict[tuple[str, str], AuditMonth] = field(default_factory=dict)  # (month, agency)
    draw_records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # (pk, sk) as the adapter's
    transactions: int = 0  # case writes that succeeded
    uploads: dict[str, Upload] = field(default_factory=dict)

    def event(self, case_id: str, seq: int) -> HistoryEvent:
        return self.events[case_id][seq]


# --- cases ------------------------------------------------------------------------------------------


class MemoryCases:
    """:class:`~complaints.ports.CaseRepository`: one all-or-nothing write per change."""

    def __init__(self, state: MemoryState):
        self.s = state

    def create(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        current = self.s.cases.get(change.case.id)
        self._write(change, current is None, current, also)

    def save(self, change: Change, also: Sequence[AlsoWrite] = ()) -> None:
        current = self.s.cases.get(change.case.id)
        self._write(change, current is not None and current.version == change.expected_version, current, also)

    def _write(self, change: Change, case_ok: bool, current: Case | None, also: Sequence[AlsoWrite] = ()) -> None:
        case_id = change.case.id
        stored = self.s.events.get(case_id, {})
        events_ok = all(e.seq not in stored for e in change.events)
        also_ok = all(self._also_ok(op, change.case.id) for op in also)
        if not (case_ok and events_ok and also_ok):
            # like the adapter: the state it names is the case's, returned only when the case's condition failed
            suffix = f"; it is now '{current.state}'" if current is not None and not case_ok else ""
            raise Conflict(f"case {case_id} was changed by someone else{suffix}; reload it and try again")
        self.s.cases[case_id] = change.case
        history = self.s.events.setdefault(case_id, {})
        for event in change.events:
            history[event.seq] = event
            if event.notices:
                self.s.deliveries[(case_id, event.seq)] = Delivery()
            if event.type is EventType.COMPLETED:
                self.s.awaiting_draw.add((case_id, event.seq))
        for op in also:
            if isinstance(op, ClaimUpload):
                self.s.uploads[op.upload_id] = replace(self.s.uploads[op.upload_id], claimed_by=case_id)
                continue
            self.s.audits[op.audit_id] = replace(self.s.audits[op.audit_id], status=op.verdict)
            self.s.verdicts[op.audit_id] = op
        self.s.transactions += 1

    def _also_ok(self, op: AlsoWrite, case_id: str) -> bool:
        if isinstance(op, ClaimUpload):
            upload = self.s.uploads.get(op.upload_id)
            return upload is not None and upload.owner == op.owner and upload.claimed_by is None
        return op.audit_id in self.s.audits and self.s.audits[op.audit_id].status == "open"

    def get(self, case_id: str) -> CaseRecord:
        case = self.get_case(case_id)
        return CaseRecord(case, [e for _, e in sorted(self.s.events.get(case_id, {}).items())])

    def get_case(self, case_id: str) -> Case:
        if case_id not in self.s.cases:
            raise NotFound(f"no complaint '{case_id}'")
        return self.s.cases[case_id]

    def get_event(self, case_id: str, seq: int) -> HistoryEvent:
        try:
            return self.s.event(case_id, seq)
        except KeyError:
            raise NotFound(f"no event {seq} of complaint '{case_id}'") from None

    def by_phone(self, phone: str, limit: int, cursor: str | None) -> Page:
        """Newest first, one page (the unit tests need no more; the adapter's paging: integration)."""
        found = [c for c in self.s.cases.values() if c.complainant.phone == phone]
        return Page(sorted(found, key=lambda c: (c.received_at, c.id), reverse=True)[:limit], None)

    def list(self, query: CaseQuery, limit: int, cursor: str | None) -> Page:
        """Newest first by receipt (``overdue``: the oldest deadline first), ``limit`` at a time. (The adapter
        orders so only within one index partition: one state, or one due shard; tests assert no more.)"""
        fingerprint = query.fingerprint()
        after = _decode_cursor(cursor, fingerprint)
        rows = sorted(
            ((_position(query, c), c) for c in self.s.cases.values() if _matches(query, c)), key=lambda row: row[0]
        )
        if after is not None:
            rows = [row for row in rows if row[0] > after]
        page = rows[:limit]
        more = len(rows) > len(page) and bool(page)
        return Page([c for _, c in page], _encode_cursor(fingerprint, page[-1][0]) if more else None)

    def due_before(self, now: datetime) -> Iterator[Case]:
        return self._due(lambda at: at < now)

    def count_due(self, agency: str, start: datetime | None, end: datetime) -> int:
        deadlines = [queue_deadline(c) for c in self.s.cases.values() if c.agency and c.agency.id == agency]
        return sum(1 for at in deadlines if at is not None and (start is None or start <= at) and at < end)

    def due_between(self, start: datetime, end: datetime) -> Iterator[Case]:
        return self._due(lambda at: start <= at <= end)

    def received(
        self, states: Sequence[State], start: datetime, end: datetime, categories: Sequence[str], limit: int
    ) -> list[Case]:
        found = [
            c
            for c in self.s.cases.values()
            if c.state in states and start <= c.received_at <= end and (not categories or c.category in categories)
        ]
        return sorted(found, key=lambda c: (c.received_at, c.id), reverse=True)[:limit]

    def _due(self, wanted: Callable[[datetime], bool]) -> Iterator[Case]:
        # a snapshot, as the index is a copy: callers save the cases they read while iterating
        found = [c for c in self.s.cases.values() if c.due is not None and wanted(c.due.at)]
        return iter(sorted(found, key=lambda c: (c.due.at if c.due else c.received_at, c.id)))


def _matches(q: CaseQuery, case: Case) -> bool:
    if q.agency and (case.agency is None or case.agency.id != q.agency):
        return False
    if (q.state and case.state != q.state) or (q.district and case.district != q.district):
        return False
    if q.category and case.category != q.category:
        return False
    if q.order is ListOrder.DEADLINE and queue_deadline(case) is None:
        return False
    due = case.due
    return not q.overdue or (due is not None and due.kind is not DueKind.FEEDBACK and due.at < q.now)


def _position(q: CaseQuery, case: Case) -> list[Any]:
    if (q.overdue or q.order is ListOrder.DEADLINE) and case.due is not None:
        return [case.due.at.timestamp(), case.id]
    if q.order is ListOrder.OLDEST:
        return [case.received_at.timestamp(), case.id]
    return [-case.received_at.timestamp(), case.id]


def _encode_cursor(fingerprint: str, position: list[Any]) -> str:
    raw = json.dumps({"f": fingerprint, "k": position}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, fingerprint: str) -> list[Any] | None:
    if not cursor:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        ok = data["f"] == fingerprint and isinstance(data["k"], list)
    except (ValueError, KeyError, TypeError, binascii.Error):
        ok = False
    if not ok:
        raise InvalidInput("the cursor is not valid for this list; start again without it")
    return data["k"]


# --- the outbox -------------------------------------------------------------------------------------


class MemoryOutbox:
    """:class:`~complaints.ports.OutboxStore` on the events :class:`MemoryCases` stored."""

    def __init__(self, state: MemoryState):
        self.s = state

    def owed(self) -> Iterator[tuple[str, int]]:
        keys = [key for key, d in self.s.deliveries.items() if d.owed]
        return iter(sorted(keys, key=lambda k: (self.s.event(*k).at, *k)))

    def claim(self, case_id: str, seq: int, notices: Sequence[Notice], at: datetime, stale_before: datetime) -> Claim:
        delivery = self.s.deliveries.get((case_id, seq))
        if delivery is None:  # no such event: the adapter's condition fails, nothing is claimable
            return Claim([], [])

        def claimable(notice: Notice) -> bool:
            entry = delivery.sent.get(notice)
            return entry is None or (entry[0] == "sending" and entry[1] < stale_before)

        done = [n for n in notices if n in delivery.sent and delivery.sent[n][0] in SETTLED]
        claimed = [n for n in notices if claimable(n)]
        for notice in claimed:
            delivery.sent[notice] = ("sending", at)
        return Claim(claimed, done)

    def finish(
        self, case_id: str, seq: int, outcomes: dict[Notice, str], failures: dict[Notice, str], at: datetime, done: bool
    ) -> None:
        delivery = self.s.deliveries[(case_id, seq)]
        for notice, outcome in outcomes.items():
            delivery.sent[notice] = (outcome, at)
            delivery.failures.pop(notice, None)
        for notice, error in failures.items():
            delivery.failures[notice] = (error[:500], at)
            delivery.sent.pop(notice, None)  # released: claimable again
        if done:
            delivery.owed = False

    # for the tests' assertions
    def outcomes(self, case_id: str, seq: int) -> dict[Notice, str]:
        return {n: outcome for n, (outcome, _) in self.s.deliveries[(case_id, seq)].sent.items()}

    def failures(self, case_id: str, seq: int) -> dict[Notice, str]:
        return {n: error for n, (error, _) in self.s.deliveries[(case_id, seq)].failures.items()}


# --- special holidays -------------------------------------------------------------------------------


class MemoryHolidays:
    """:class:`~complaints.ports.HolidayStore`."""

    def __init__(self, state: MemoryState):
        self.s = state

    def special_holidays(self, since: date, until: date) -> SpecialHolidays:
        found = SpecialHolidays()
        for day, doc in sorted(self.s.holidays.items()):
            if since <= day <= until:
                if doc["removed"]:
                    found.removed.add(day)
                else:
                    found.added[day] = doc["name"] or ""
        return found

    def put(self, day: date, name: str | None, removed: bool, by: str) -> None:
        self.s.holidays[day] = {"name": name, "removed": removed, "by": by}

    def delete(self, day: date) -> bool:
        return self.s.holidays.pop(day, None) is not None


# --- audits -----------------------------------------------------------------------------------------


class MemoryAudits:
    """:class:`~complaints.ports.AuditRepository`: candidates are the completed events not yet drawn."""

    def __init__(self, state: MemoryState):
        self.s = state

    def candidates(self, before: datetime) -> Iterator[Candidate]:
        out = []
        for case_id, seq in self.s.awaiting_draw:
            event = self.s.event(case_id, seq)
            if event.at < before:
                month = event.at.astimezone(BANGKOK).strftime("%Y-%m")
                flagged = bool(getattr(event.data, "flags", None))
                out.append((event.at, Candidate(case_id, seq, event.by.agency_id or "-", month, flagged)))
        return iter([c for _, c in sorted(out, key=lambda row: (row[0], row[1].case_id, row[1].seq))])

    def record(self, day: str, agency: str, draws: Sequence[Draw], rate: float, source: str, at: datetime) -> list[str]:
        opened: list[str] = []
        for start in range(0, len(draws), AUDIT_CHUNK):
            chunk = draws[start : start + AUDIT_CHUNK]
            first = chunk[0].candidate
            key = (f"DRAW#{day}", f"{agency}#{first.case_id}-{first.seq}")
            drawn = [d.candidate for d in chunk if d.drawn]
            if (
                key in self.s.draw_records
                or any((d.candidate.case_id, d.candidate.seq) not in self.s.awaiting_draw for d in chunk)
                or any(audit_id(c.case_id, c.seq) in self.s.audits for c in drawn)
            ):
                continue  # the transaction is cancelled: another draw took these candidates first
            self.s.draw_records[key] = {
                "rate": rate,
                "source": source,
                "at": at.isoformat(),
                "draws": [
                    {"case_id": d.candidate.case_id, "seq": d.candidate.seq, "value": d.value, "drawn": d.drawn}
                    for d in chunk
                ],
            }
            for d in chunk:
                self.s.awaiting_draw.discard((d.candidate.case_id, d.candidate.seq))
                month = self.s.months.setdefault((d.candidate.month, agency), AuditMonth())
                if d.drawn:
                    month.drawn += 1
                else:
                    month.pool.add(f"{d.candidate.case_id}#{d.candidate.seq}")
            for candidate in drawn:
                opened.append(self._open(candidate, at))
        return opened

    def _open(self, c: Candidate, at: datetime) -> str:
        opened = audit_id(c.case_id, c.seq)
        self.s.audits[opened] = Audit(
            id=opened, case_id=c.case_id, seq=c.seq, agency_id=c.agency_id, status="open", drawn_at=at.isoformat()
        )
        return opened

    def months(self, month: str) -> list[AuditTally]:
        return [
            AuditTally(agency_id=agency, drawn=m.drawn, pool=sorted(m.pool))
            for (mon, agency), m in sorted(self.s.months.items())
            if mon == month
        ]

    def settle(
        self, month: str, agency: str, chosen: Candidate, pool: Sequence[str], index: int, source: str, at: datetime
    ) -> bool:
        tally = self.s.months.get((month, agency))
        key = (f"DRAW#{at.astimezone(BANGKOK).date().isoformat()}", f"{agency}#minimum-{month}")
        if (
            tally is None
            or tally.drawn != 0
            or key in self.s.draw_records
            or audit_id(chosen.case_id, chosen.seq) in self.s.audits
        ):
            return False
        tally.drawn, tally.settled = 1, at
        self.s.draw_records[key] = {
            "source": source,
            "at": at.isoformat(),
            "month_minimum": True,
            "pool": list(pool),
            "index": index,
            "draws": [{"case_id": chosen.case_id, "seq": chosen.seq, "drawn": True}],
        }
        self._open(chosen, at)
        return True

    def open_audits(self) -> list[Audit]:
        waiting = [a for a in self.s.audits.values() if a.status == "open"]
        return sorted(waiting, key=lambda a: (datetime.fromisoformat(a.drawn_at), a.id))

    def get(self, audit_id: str) -> Audit:
        if audit_id not in self.s.audits:
            raise NotFound(f"no audit '{audit_id}'")
        return self.s.audits[audit_id]

    def mark_reminded(self, audit_id: str, at: datetime) -> bool:
        found = self.s.audits.get(audit_id)
        if found is None or found.status != "open" or found.reminded_at is not None:
            return False
        self.s.audits[audit_id] = replace(found, reminded_at=at.isoformat())
        return True

    def unmark_reminded(self, audit_id: str) -> None:
        if audit_id in self.s.audits:
            self.s.audits[audit_id] = replace(self.s.audits[audit_id], reminded_at=None)


# --- messages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    channel: str  # email | sms | topic
    to: str  # the address, the phone number or the topic's ARN
    subject: str
    text: str
    html: str = ""


class NotifierDown(RuntimeError):
    """What the recording notifier raises when told to fail (a provider refusing)."""


class RecordingNotifier:
    """:class:`~complaints.ports.Notifier` that keeps what it was given; it can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[Message] = []
        self.failed: list[Message] = []
        self._fail_next = 0
        self._fail_when: Callable[[Message], bool] | None = None

    def fail_next(self, count: int = 1) -> None:
        """The next ``count`` messages fail, whatever they are."""
        self._fail_next = count

    def fail_when(self, predicate: Callable[[Message], bool] | None) -> None:
        """Every message the predicate accepts fails (None: stop failing)."""
        self._fail_when = predicate

    def email(self, to: str, subject: str, html: str, text: str) -> None:
        self._deliver(Message("email", to, subject, text, html))

    def sms(self, phone: str, text: str) -> None:
        self._deliver(Message("sms", phone, "", text))

    def publish(self, topic_arn: str, subject: str, text: str) -> None:
        self._deliver(Message("topic", topic_arn, subject, text))

    def raw_email(self, to: list[str], message: bytes) -> None:
        """A whole MIME message: kept as its text (the tests parse it with ``email``)."""
        self._deliver(Message("raw", ",".join(to), "", message.decode("utf-8", "replace")))

    def _deliver(self, message: Message) -> None:
        if self._fail_next or (self._fail_when is not None and self._fail_when(message)):
            self._fail_next = max(self._fail_next - 1, 0)
            self.failed.append(message)
            raise NotifierDown(f"the provider refused the {message.channel} to {message.to}")
        self.sent.append(message)

    def to(self, recipient: str) -> list[Message]:
        return [m for m in self.sent if m.to == recipient]

    @property
    def emails(self) -> list[Message]:
        return [m for m in self.sent if m.channel == "email"]

    @property
    def texts(self) -> list[Message]:
        return [m for m in self.sent if m.channel == "sms"]

    @property
    def published(self) -> list[Message]:
        return [m for m in self.sent if m.channel == "topic"]


# --- ids --------------------------------------------------------------------------------------------


class FixedIds(RandomIds):
    """Deterministic case ids (``2604-000001``, ``2604-000002``…) and tracking tokens; ids queued
    with :meth:`hand_out` come first (a taken one exercises the intake's retry)."""

    def __init__(self) -> None:
        self.queued: list[str] = []
        self.issued: list[str] = []
        self.tokens = 0
        self._count = 0

    def hand_out(self, *case_ids: str) -> None:
        self.queued.extend(case_ids)

    def case_id(self, received_at: datetime) -> str:
        if self.queued:
            case_id = self.queued.pop(0)
        else:
            self._count += 1
            n, digits = self._count, ""
            for _ in range(6):
                n, r = divmod(n, len(ALPHABET))
                digits = ALPHABET[r] + digits
            case_id = received_at.astimezone(BANGKOK).strftime("%y%m") + "-" + digits
        self.issued.append(case_id)
        return case_id

    def tracking_token(self) -> str:
        self.tokens += 1
        return f"tracking-token-{self.tokens:04d}"


# --- reports ---------------------------------------------------------------------------------------


class MemoryReports:
    """:class:`~complaints.ports.ReportStore`: a day's counters replace what the day held."""

    def __init__(self, state: MemoryState):
        self.state = state
        self.days: dict[tuple[str, str], dict[date, dict[str, int]]] = {}  # (month, scope) → day → counters
        self.marks: dict[date, bool] = {}
        self.last: date | None = None
        self.reports: dict[str, dict[str, Any]] = {}
        self.emails: dict[str, tuple[str, datetime]] = {}
        self.puts = 0

    def events_of_day(self, day: date) -> Iterator[HistoryEvent]:
        for history in self.state.events.values():
            yield from (e for e in history.values() if local_date(e.at) == day)

    def put_day(self, month: str, scope: str, day: date, counters: Mapping[str, int]) -> None:
        self.puts += 1
        self.days.setdefault((month, scope), {})[day] = dict(counters)

    def month(self, month: str) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (m, scope), days in self.days.items():
            if m == month:
                total: Counter[str] = Counter()
                for counters in days.values():
                    total.update(counters)
                out[scope] = dict(total)
        return out

    def rolled_up(self, day: date, complete: bool, at: datetime) -> None:
        self.marks[day] = complete
        if complete and (self.last is None or day > self.last):
            self.last = day

    def complete_through(self) -> date | None:
        return self.last

    def frozen(self, month: str) -> dict[str, Any] | None:
        return copy.deepcopy(self.reports.get(month))

    def freeze(self, month: str, doc: Mapping[str, Any]) -> dict[str, Any]:
        self.reports.setdefault(month, copy.deepcopy(dict(doc)))
        return copy.deepcopy(self.reports[month])

    def claim_email(self, month: str, at: datetime, stale_before: datetime) -> bool:
        status = self.emails.get(month)
        if status and not (status[0] == "sending" and status[1] < stale_before):
            return False
        self.emails[month] = ("sending", at)
        return True

    def email_done(self, month: str, at: datetime, sent: bool) -> None:
        if sent:
            self.emails[month] = ("sent", at)
        else:
            self.emails.pop(month, None)


# --- personal data ----------------------------------------------------------------------------------


class MemoryPrivacy:
    """:class:`~complaints.ports.PrivacyStore`: the retention index and the per-recipient counters."""

    def __init__(self, state: MemoryState):
        self.s = state
        self.counters: dict[tuple[str, date], int] = {}  # (keyed hash, local day) → cases notified

    def closed_through(self, day: date) -> Iterator[Case]:
        held = [
            c
            for c in self.s.cases.values()
            if c.state is State.CLOSED and c.closed_at and personal_fields(c) and local_date(c.closed_at) <= day
        ]
        yield from sorted(held, key=lambda c: (c.closed_at, c.id))

    def count_notified(self, recipient: str, day: date, limit: int) -> bool:
        if self.counters.get((recipient, day), 0) >= limit:
            return False
        self.counters[(recipient, day)] = self.counters.get((recipient, day), 0) + 1
        return True


class MemoryUploads:
    """:class:`~complaints.ports.UploadStore`; the claims are written by :class:`MemoryCases`."""

    def __init__(self, state: MemoryState):
        self.s = state

    def issue(self, upload: Upload) -> None:
        self.s.uploads[upload.upload_id] = upload

    def get(self, upload_id: str) -> Upload | None:
        return self.s.uploads.get(upload_id)


class MemoryPhotos:
    """:class:`~complaints.ports.PhotoStore`: objects in a dict; ``upload`` plays the browser's POST."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def upload(self, key: str, body: bytes, content_type: str = "image/jpeg") -> None:
        self.objects[key] = (body, content_type)

    def upload_form(self, key: str, content_type: str, max_bytes: int, expires_in: int) -> UploadForm:
        return UploadForm("https://photos.test/upload", {"key": key, "Content-Type": content_type})

    def head(self, key: str) -> StoredObject | None:
        found = self.objects.get(key)
        return StoredObject(len(found[0]), found[1]) if found else None

    def read(self, key: str) -> bytes:
        return self.objects[key][0]

    def put(self, key: str, body: bytes, content_type: str) -> None:
        self.objects[key] = (body, content_type)

    def delete(self, keys: Sequence[str]) -> None:
        for key in keys:
            self.objects.pop(key, None)

    def url(self, key: str, expires_in: int) -> str:
        return f"https://photos.test/{key}?expires={expires_in}"

    def origin(self) -> str:
        return "https://photos.test"


# --- reference data ---------------------------------------------------------------------------------


class MemoryReference:
    """:class:`~complaints.ports.ReferenceStore`: the stored data and the changes, written together
    on the version that was read. ``reads`` counts the version reads; ``meanwhile`` (if set) runs
    once just before the next save, as another admin writing first would."""

    def __init__(self) -> None:
        self.stored = Stored()
        self.trail: list[ReferenceChange] = []
        self.reads = 0
        self.meanwhile: Callable[[], None] | None = None

    def version(self) -> int:
        self.reads += 1
        return self.stored.version

    def load(self) -> Stored:
        return copy.deepcopy(self.stored)

    def save(self, expected: int, stored: Stored, change: ReferenceChange) -> None:
        if self.meanwhile is not None:
            run, self.meanwhile = self.meanwhile, None
            run()
        if self.stored.version != expected:
            raise Conflict("another admin changed the reference data first")
        self.stored = copy.deepcopy(stored)
        self.trail.append(change)

    def changes(self, limit: int, cursor: str | None) -> ChangePage:
        newest = sorted(self.trail, key=lambda c: -c.version)
        if cursor is not None:
            newest = [c for c in newest if c.version < int(cursor)]
        page = newest[:limit]
        return ChangePage(page, str(page[-1].version) if len(newest) > limit else None)


# --- API keys ---------------------------------------------------------------------------------------


class MemoryApiKeys:
    """:class:`~complaints.ports.ApiKeyStore`: the keys by id and each key's writes by window."""

    def __init__(self) -> None:
        self.keys: dict[str, StoredKey] = {}
        self.writes: Counter[tuple[str, datetime]] = Counter()

    def add(self, key: StoredKey) -> None:
        if key.id in self.keys:
            raise Conflict(f"API key id {key.id} is taken")
        self.keys[key.id] = key

    def get(self, key_id: str) -> StoredKey | None:
        return self.keys.get(key_id)

    def all(self) -> list[StoredKey]:
        return sorted(self.keys.values(), key=lambda k: (k.created_at, k.id))

    def revoke(self, key_id: str, at: datetime, by: str) -> bool:
        key = self.keys.get(key_id)
        if key is None or key.revoked_at is not None:
            return False
        self.keys[key_id] = replace(key, revoked_at=at, revoked_by=by)
        return True

    def touch(self, key_id: str, at: datetime) -> None:
        key = self.keys.get(key_id)
        if key is not None and (key.last_used_at is None or key.last_used_at < at):
            self.keys[key_id] = replace(key, last_used_at=at)

    def count_write(self, key_id: str, window: datetime, limit: int) -> bool:
        if self.writes[(key_id, window)] >= limit:
            return False
        self.writes[(key_id, window)] += 1
        return True


# --- all of them ------------------------------------------------------------------------------------


class Fakes:
    """Every port's fake, on one state."""

    def __init__(self) -> None:
        self.state = MemoryState()
        self.cases = MemoryCases(self.state)
        self.outbox = MemoryOutbox(self.state)
        self.holidays = MemoryHolidays(self.state)
        self.audits = MemoryAudits(self.state)
        self.reports = MemoryReports(self.state)
        self.notifier = RecordingNotifier()
        self.ids = FixedIds()
        self.privacy = MemoryPrivacy(self.state)
        self.uploads = MemoryUploads(self.state)
        self.photos = MemoryPhotos()
        self.reference = MemoryReference()
        self.api_keys = MemoryApiKeys()
