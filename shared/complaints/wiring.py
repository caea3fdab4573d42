"""Production's ports (DynamoDB, SES, SNS, the S3 photo bucket) and the use cases on them, from
the settings: one place for every function.

Clients are made on first use, never at import, so that tests start moto first;
the settings are read at cold start (each handler calls :func:`settings` when it
is imported), so a missing variable fails there.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3
from botocore.config import Config

from .adapters.dynamo.api_keys import DynamoApiKeys
from .adapters.dynamo.audits import DynamoAudits
from .adapters.dynamo.cases import DynamoCases
from .adapters.dynamo.codec import Table
from .adapters.dynamo.holidays import DynamoHolidays
from .adapters.dynamo.outbox import DynamoOutbox
from .adapters.dynamo.privacy import DynamoPrivacy
from .adapters.dynamo.reference import DynamoReference
from .adapters.dynamo.reports import DynamoReports
from .adapters.dynamo.uploads import DynamoUploads
from .adapters.notify import AwsNotifier
from .adapters.s3photos import S3Photos
from .assembly import Ports, UseCases, assemble
from .domain.privacy import phone_search_key
from .settings import ConsoleSettings, Settings, load
from .usecases.auditing import Auditing
from .usecases.sweep import Sweep

SECRET_MAX_AGE_SECONDS = 300


@lru_cache(maxsize=1)
def settings() -> Settings:
    return load()


@lru_cache(maxsize=1)
def console_settings() -> ConsoleSettings:
    """The staff console's sign-in (the pages function only); empty: local mode."""
    return ConsoleSettings()


def link_secret() -> bytes:
    """The link-signing key from Secrets Manager, cached for five minutes (powertools parameters)."""
    from aws_lambda_powertools.utilities import parameters

    return str(parameters.get_secret(settings().link_secret_name, max_age=SECRET_MAX_AGE_SECONDS)).encode()


def photos_client() -> Any:
    """S3 for presigned URLs: SigV4 in the bucket's region, at the regional virtual-host endpoint
    (botocore would otherwise sign for the global endpoint, which answers a young bucket outside
    us-east-1 with a redirect that a browser's cross-origin POST does not follow). An endpoint
    given by IP (the local stack's moto) stays path-style."""
    region = boto3.session.Session().region_name
    config = Config(signature_version="s3v4", region_name=region, s3={"addressing_style": "virtual"})
    return boto3.client("s3", config=config)


@lru_cache(maxsize=1)
def ports() -> Ports:
    s = settings()
    table = Table(boto3.client("dynamodb"), s.table_name)
    notifier = AwsNotifier(boto3.client("ses"), boto3.client("sns"), s.sender_address)
    return Ports(
        cases=DynamoCases(table, phone_key=lambda phone: phone_search_key(link_secret(), phone)),
        outbox=DynamoOutbox(table),
        holidays=DynamoHolidays(table),
        audits=DynamoAudits(table),
        reports=DynamoReports(table),
        notifier=notifier,
        privacy=DynamoPrivacy(table),
        photos=S3Photos(photos_client(), s.photos_bucket),
        uploads=DynamoUploads(table),
        reference=DynamoReference(table),
        api_keys=DynamoApiKeys(table),
    )


@lru_cache(maxsize=1)
def usecases() -> UseCases:
    return assemble(ports(), settings(), link_secret)


def new_invocation() -> None:
    """Every handler calls this first: the reference data's stored version is read again (once,
    when this invocation first needs the catalogue). Nothing is built or read here."""
    if usecases.cache_info().currsize:
        usecases().in_force.expire()


def auditing() -> Auditing:
    return usecases().auditing


def sweep() -> Sweep:
    return usecases().sweep


def reset() -> None:
    """Forget what was built (tests: a fresh moto account, a changed environment)."""
    for cached in (settings, console_settings, ports, usecases):
        cached.cache_clear()
