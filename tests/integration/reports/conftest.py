"""One month of traffic for every test of this package: built once (it takes a couple of minutes
under moto) in a moto account of its own, closed before the tests read what was kept. The tests
compare what the API reported with what ``recompute`` derives from the table's raw history."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Api, at, table_items
from tests.integration.reports import recompute, traffic
from tests.integration.reports.history import History

#: The reports read through the API (``traffic.early_june``): the month, and the instant the
#: history is taken at — the freeze for a frozen report, the last roll-up (the morning's sweep)
#: for a running one ("figures so far").
READS = {
    "may_live": ("2026-05", "2026-06-01T08:30:00+07:00"),  # read 08:45 on 1 June, before the report run
    "may_frozen": ("2026-05", "2026-06-01T09:00:00+07:00"),  # frozen by the run of 09:00, read on 2 June
    "april_frozen": ("2026-04", "2026-05-01T09:00:00+07:00"),  # frozen on 1 May
    "june_live": ("2026-06", "2026-06-02T08:30:00+07:00"),  # the running month, read 10:00 on 2 June
}
FISCAL_YEAR_AS_OF = "2026-06-02T08:30:00+07:00"  # read at 10:00: June so far is as of the morning's roll-up


@dataclass(frozen=True)
class Month:
    """The traffic as driven, the reports as the API answered, and the history as stored."""

    traffic: traffic.Traffic
    reads: dict[str, Any]
    history: History


@pytest.fixture(scope="package")
def month() -> Iterator[Month]:
    import boto3
    from moto import mock_aws

    from complaints import wiring
    from local import infra

    with mock_aws():  # closed before the tests run: they only read what was kept, and moto is free for others
        session = boto3.Session(region_name=infra.REGION)
        infra.create_resources(session)
        driven, reads = traffic.build(Api(), wiring.auditing())
        items = table_items(session)
    wiring.reset()
    yield Month(driven, reads, History.of(items))


@pytest.fixture(scope="package")
def expected(month: Month) -> dict[str, dict[str, Any]]:
    """Each read report as SPEC §8 defines it, recomputed from the history."""
    return {read: recompute.monthly(month.history, name, at(now)) for read, (name, now) in READS.items()}
