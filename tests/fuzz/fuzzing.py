"""Schemathesis from docs/openapi.json: every operation, as each caller, with every check.

``fuzz(target, method, path, caller, n)`` draws ``n`` requests for one operation
(valid ones, invalid ones, and valid ones aimed at the cases that exist), sends
them as ``caller`` and runs all of schemathesis' checks on each answer: no 5xx,
the status code, content type, headers and body as the document says, invalid
data refused and valid data accepted. It returns each distinct failure (a check
and a status) with a curl command that shows it, rather than stopping at the
first. A fixed seed and a bounded number of examples (``FUZZ_EXAMPLES``;
``make fuzz`` raises it) keep a run repeatable; ``FUZZ_REPORT=<file>`` also
writes the findings there, one JSON object a line. ``cover(...)`` sends
schemathesis' coverage phase instead (``make fuzz`` only: about 5,000 requests).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.failures import FailureGroup

from local import infra
from tests.fuzz.transport import CALLERS

SEED = 1555
DOC_PATH = infra.ROOT / "docs" / "openapi.json"
DOC = json.loads(DOC_PATH.read_text(encoding="utf-8"))
OPERATIONS = sorted((m.upper(), p) for p, item in DOC["paths"].items() for m in item)
# Valid data the rules still refuse: an unknown category or agency, notify on a landline… (422, with why).
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]
# A method a path does not have never reaches a function: API Gateway answers it (403 "Missing Authentication
# Token"), the local stack 404. unsupported_method wants 405; those requests are still sent, and must not be 5xx.
# A list cursor is opaque: any string fits the schema, but only one the list gave this caller is taken (400).
# A change of the reference data that breaks its rules (a unit naming no such agency, an id taken…) is 400
# invalid_reference, nothing written (#12).
RULES_400 = [
    ("GET", "/complaints"),
    ("GET", "/reference/changes"),
    ("POST", "/agencies"),
    ("PATCH", "/agencies/{agency_id}"),
    ("POST", "/categories"),
    ("PATCH", "/categories/{code}"),
]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ACCEPTED},
            "unsupported_method": {"enabled": False},
        },
        "operations": [
            {
                "include-path": path,
                "include-method": method,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
            }
            for method, path in RULES_400
        ],
    }
)
SCHEMA = schemathesis.openapi.from_dict(DOC, config=CONFIG)


# A report computes each month not yet frozen from its counters, looking back up to 24 months for the
# opening balances: a fiscal year of a new system costs hundreds of queries. Those get fewer examples.
COST = {"/reports/fiscal-year/{year}": 4, "/reports/monthly/{month}": 2}


def examples(path: str, default: int, share: int = 1) -> int:
    """How many requests for an operation: ``FUZZ_EXAMPLES`` (or ``default``) divided by ``share``, and less
    for the costly ones; at least one."""
    wanted = int(os.environ.get("FUZZ_EXAMPLES") or default * share)
    return max(1, wanted // share // COST.get(path, 1))


def strategy(method: str, path: str, tokens: dict[str, str]) -> st.SearchStrategy[Case]:
    """Valid and invalid requests, and valid ones for the existing cases (with their tracking token)."""
    operation = SCHEMA[path][method]
    drawn = [operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{case_id}" in path and tokens:
        takes_token = any(p.get("name") == "token" for p in DOC["paths"][path][method.lower()].get("parameters", []))

        def aimed(case_id: str) -> st.SearchStrategy[Case]:
            query = {"token": tokens[case_id]} if takes_token else None
            return operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"case_id": case_id}, query=query)

        drawn.append(st.sampled_from(sorted(tokens)).flatmap(aimed))
    return st.one_of(drawn)


@dataclass(frozen=True)
class Finding:
    """One kind of answer a check refused, for one operation and caller, with a request that shows it."""

    operation: str
    caller: str
    problem: str
    status: int | None
    answer: str
    curl: str

    def __str__(self) -> str:
        return f"{self.operation} as {self.caller}: {self.problem} [{self.status}] {self.answer}\n    {self.curl}"


class Findings:
    """What the checks refused for one operation and caller: one finding per (check, status)."""

    def __init__(self, target: Any, method: str, path: str, caller: str) -> None:
        self.target, self.operation, self.caller = target, f"{method} {path}", caller
        self.headers = CALLERS[caller]
        self.found: dict[tuple[str, int | None], Finding] = {}

    def send(self, case: Case) -> None:
        """Sends ``case`` as the caller and runs every check on the answer."""
        # the checks that send a request of their own (a control request) send it the same way
        transport = {"base_url": self.target.base_url, "session": self.target.session, "headers": self.headers}
        try:
            response = case.call(**transport)
        except requests.RequestException as exc:
            self._record(f"no answer: {type(exc).__name__}", None, str(exc), case)
            return
        try:
            case.validate_response(response, headers=self.headers, transport_kwargs=transport)
        except FailureGroup as failures:
            for failure in failures.exceptions:
                self._record(f"{failure.code} {failure.title}", response.status_code, response.text, case)

    def _record(self, problem: str, status: int | None, answer: str, case: Case) -> None:
        curl = case.as_curl_command(self.headers)
        self.found.setdefault(
            (problem, status), Finding(self.operation, self.caller, problem, status, answer[:300], curl)
        )

    def done(self) -> list[Finding]:
        found = sorted(self.found.values(), key=str)
        if os.environ.get("FUZZ_REPORT"):
            with open(os.environ["FUZZ_REPORT"], "a", encoding="utf-8") as out:
                out.writelines(json.dumps(asdict(f), ensure_ascii=False) + "\n" for f in found)
        return found


def fuzz(target: Any, method: str, path: str, caller: str, max_examples: int) -> list[Finding]:
    """Every distinct failure schemathesis' checks find in ``max_examples`` requests (none: all is well)."""
    findings = Findings(target, method, path, caller)

    @hypothesis_seed(SEED)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy(method, path, target.tokens))
    def run(case: Case) -> None:
        findings.send(case)

    run()
    return findings.done()


def cover(target: Any, method: str, path: str, caller: str) -> list[Finding]:
    """Schemathesis' coverage phase: each parameter and field at its boundaries, each one missing or of another
    type, and the methods the path does not have; every check on every answer."""
    operation = SCHEMA[path][method]
    findings = Findings(target, method, path, caller)
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    generation = SCHEMA.config.generation_for(operation=operation)
    for case in SCHEMA.iter_coverage_cases(operation, generation_modes=modes, generation_config=generation):
        findings.send(case)
    return findings.done()


def report(findings: list[Finding]) -> str:
    return f"{len(findings)} kind(s) of answer against docs/openapi.json:\n" + "\n".join(map(str, findings))
