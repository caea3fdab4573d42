"""Building the service from the function's environment: one place for every function.

Clients are made on first use, never at import, so that tests start moto first.
"""

from __future__ import annotations

import os
from functools import lru_cache

import boto3

from .adapters.notify import AwsNotifier
from .adapters.store import DynamoCaseStore
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
    return ComplaintService(store, catalogue, notices)
