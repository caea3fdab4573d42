"""Cases filed in the past, for a browser test that needs a deadline already missed.

The local stack's HTTP front stamps every request with the wall clock; its ``Stack.api`` takes
the instant (API Gateway's ``requestTimeEpoch``, the handlers' "now"), as the demo seed uses it.
``file_in_the_past(state_dir, filings)`` files each ``(at, body)`` through the API at ``at`` in
a stack of its own (a subprocess: moto, the template's resources) and saves the state; a
``Server`` started on ``state_dir`` afterwards has the cases. Run as
``python -m tests.browser.backdated <state dir>`` with the filings as JSON on stdin.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.stack import clean_env


def file_in_the_past(state_dir: Path, filings: list[tuple[datetime, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The API's answers (the cases filed), in order; the state saved in ``state_dir``."""
    from local import infra

    stdin = json.dumps([{"at": at.isoformat(), "body": body} for at, body in filings], ensure_ascii=False)
    done = subprocess.run(
        [sys.executable, "-m", "tests.browser.backdated", str(state_dir)],
        cwd=infra.ROOT,
        env=clean_env(state_dir),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def main(state_dir: str) -> None:
    from local.stack import Stack

    filings = json.load(sys.stdin)
    stack = Stack(Path(state_dir), moto_port=0)
    stack.start()
    stack.autosave = False  # as the seed: saved once, below
    answers = []
    try:
        for filing in filings:
            body = json.dumps(filing["body"], ensure_ascii=False)
            answer = stack.api(
                "POST",
                "/complaints",
                headers={"Content-Type": "application/json"},
                body=body,
                at=datetime.fromisoformat(filing["at"]),
            )
            assert answer is not None and answer.status == 201, answer
            answers.append(json.loads(answer.body))
        stack.save()
    finally:
        stack.stop()
    print(json.dumps(answers, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
