"""Operators' one-off jobs, run from a shell with the stack's AWS credentials (not a Lambda):

    python -m complaints.maintenance backfill-index-keys --table <CasesTable> --link-secret <name>

``backfill-index-keys`` gives cases stored before an index existed the keys they lack
(``adapters/dynamo/backfill.py``): the phone search and the agency queue find them at once
instead of at their next change. Safe to run twice, and while the API serves (each case is
updated only if it is still at the version read). README, "After a deploy that adds an index".
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

import boto3

from .adapters.dynamo.backfill import backfill_index_keys
from .adapters.dynamo.codec import Table
from .domain.privacy import phone_search_key


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m complaints.maintenance")
    jobs = parser.add_subparsers(dest="job", required=True)
    job = jobs.add_parser("backfill-index-keys", help="add missing index keys to stored cases")
    job.add_argument("--table", required=True, help="the stack's CasesTable (its physical name)")
    job.add_argument("--link-secret", required=True, help="the link-signing secret's name in Secrets Manager")
    args = parser.parse_args(argv)
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=args.link_secret)["SecretString"].encode()
    done = backfill_index_keys(Table(boto3.client("dynamodb"), args.table), lambda p: phone_search_key(secret, p))
    print(json.dumps(asdict(done)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
