"""Helpers of the integration tests of a case's life after filing: filing a case through the API,
its history and deadlines, and reading back what was sent (moto's in-process SES and SNS backends)
and stored (the table).
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from local import infra
from tests.conftest import CALLCENTER, complaint, sent_emails

ACCOUNT = "123456789012"  # moto's default account
AGENCY_MAIL = "district-1039@agency.example"
PHONE = "+66812345678"
FILED_AT = "2026-04-10T09:12:00+07:00"  # a Friday; Songkran (13–15 April) follows
BASE_URL = "http://127.0.0.1:3000"  # PublicBaseUrl of the local stack (infra.local_values)


# --- reading what was sent, from moto ---------------------------------------------------


def emails(to: str | None = None) -> list[Any]:
    """E-mails SES accepted, oldest first (moto keeps the HTML part of a two-part e-mail as ``body``)."""
    return sent_emails(to)


def sms(phone: str | None = None) -> list[str]:
    """Texts of the SMS SNS accepted, oldest first."""
    from moto.sns.models import sns_backends

    sent = sns_backends[ACCOUNT][infra.REGION].sms_messages.values()
    return [text for number, text, *_ in sent if phone is None or number == phone]


# --- reading what was stored ---------------------------------------------------------------


def plain(item: dict[str, Any]) -> dict[str, Any]:
    """A table item as plain Python values."""
    de = TypeDeserializer()
    return {k: de.deserialize(v) for k, v in item.items()}


def event_item(aws, case_id: str, seq: int) -> dict[str, Any]:
    """A history event's item as stored (outbox bookkeeping included)."""
    item = aws.client("dynamodb").get_item(
        TableName=infra.LOCAL_TABLE,
        ConsistentRead=True,
        Key={"pk": {"S": f"CASE#{case_id}"}, "sk": {"S": f"EVT#{seq:06d}"}},
    )["Item"]
    return plain(item)


# --- driving the API ----------------------------------------------------------------------


def file(api, when: str = FILED_AT, **overrides: Any) -> dict[str, Any]:
    ans = api.call("POST", "/complaints", body=complaint(**overrides), when=when)
    assert ans.status == 201, ans.body
    return ans.json


def history(api, case_id: str) -> list[dict[str, Any]]:
    ans = api.call("GET", f"/complaints/{case_id}", claims=CALLCENTER)
    assert ans.status == 200, ans.body
    return ans.json["history"]


def end_of(day: str) -> str:
    return f"{day}T23:59:59.999+07:00"
