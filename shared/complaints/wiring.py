"""Building the service from the function's environment: one place for every function.

Clients are made on first use, never at import, so that tests start moto first.
"""

from __future__ import annotations

import os
from functools import lru_cache

import boto3

from .adapters.audits import AuditStore
from .adapters.notify import AwsNotifier
from .adapters.store import DynamoCaseStore
from .auditing import Auditing
from .domain.lifecycle import SlaPolicy
from .notices import Notices, Recipients
from .reference import default_catalogue
from .service import ComplaintService

SECRET_MAX_AGE_SECONDS = 300


def link_secret() -> bytes:
    """The link-signing key from Secrets Manager, cached for five minutes (powertools parameters)."""
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_secret(os.environ["LINK_SECRET_NAME"], max_age=SECRET_MAX_AGE_SECONDS)).encode()


@lru_cache(maxsize=1)
def service() -> ComplaintService:
    store = DynamoCaseStore(boto3.client("dynamodb"), os.environ["TABLE_NAME"])
    notifier = AwsNotifier(boto3.client("ses"), boto3.client("sns"), os.environ["SENDER_ADDRESS"])
    catalogue = default_catalogue()
    recipients = Recipients(supervisors=os.environ.get("SUPERVISORS_ADDRESS", ""),
                            operators_topic=os.environ.get("OPERATORS_TOPIC_ARN", ""))
    notices = Notices(store, notifier, catalogue, os.environ["PUBLIC_BASE_URL"], link_secret, recipients)
    return ComplaintService(store, catalogue, notices, policy())


def policy() -> SlaPolicy:
    """The handling rules' numbers, from the template's parameters."""
    return SlaPolicy(escalate_after_business_days=int(os.environ.get("ESCALATE_AFTER_BUSINESS_DAYS", "3")),
                     feedback_days=int(os.environ.get("FEEDBACK_DAYS", "14")),
                     dispute_days=int(os.environ.get("DISPUTE_WINDOW_DAYS", "30")))


@lru_cache(maxsize=1)
def auditing() -> Auditing:
    svc = service()
    store = svc.store
    return Auditing(svc, AuditStore(store.client, store.table),  # type: ignore[attr-defined]
                    rate=float(os.environ.get("AUDIT_RATE", "0.10")),
                    auditors=os.environ.get("AUDITORS_ADDRESS", ""))
