"""The local stack (``make run``), fuzzed from docs/openapi.json over HTTP: the same operations and callers
as in-process, through the real front (its role headers, URL decoding, 502 on a crash), with fewer examples."""

import pytest

from tests.fuzz.fuzzing import OPERATIONS, examples, fuzz, report
from tests.fuzz.transport import CALLERS

pytestmark = pytest.mark.integration
HTTP_SHARE = 5  # a fifth of the in-process examples: each request costs several times more over HTTP


@pytest.mark.parametrize("caller", sorted(CALLERS))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_as_every_caller_answers_as_documented_over_http(local_stack, method, path, caller):
    findings = fuzz(local_stack, method, path, caller, examples(path, 1, share=HTTP_SHARE))
    assert not findings, report(findings)
