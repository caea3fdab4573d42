"""Cold-start import time of the intake handler against boto3 + the powertools resolver alone.

Each figure is a fresh interpreter (this one) timing ``import ...`` with
``time.perf_counter`` inside it, so interpreter start-up is left out; the runs
of (a), (b) and (c) alternate, one warm-up each is dropped (bytecode caches
written), and the median is printed.

(a) and (b) run as Lambda would start them, minus the network: the template's
variables for IntakeFunction, fake credentials, cwd and ``sys.path`` = the
code directory and the ``shared`` layer, and the variables the Lambda runtime
sets (``LAMBDA_TASK_ROOT``, ``AWS_LAMBDA_FUNCTION_NAME``, the X-Ray daemon
address …). So powertools' ``Tracer`` is enabled (``Tracing: Active``) and
patches every library X-Ray knows, as deployed (and drops X-Ray's touch file
under the temp directory, as in Lambda); nothing is sent at import.
(c) is (a) with ``POWERTOOLS_TRACE_DISABLED=1`` (what the tests set), to show
what tracing costs.

Target: a / b ≤ 1.3 (the handler adds under 30% to the libraries it cannot avoid).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from local import infra

from . import ROOT, clean_environ, code_paths, function_environment, table

FUNCTION = "IntakeFunction"
BASELINE = "boto3, aws_lambda_powertools.event_handler"
RUNS = 11
PROFILE_RUNS = 3
TARGET_RATIO = 1.3
LAYER_REQUIREMENTS = ROOT / "shared" / "requirements.txt"
TIMER = "import time; t = time.perf_counter(); import {}; print(time.perf_counter() - t)"


def lambda_environment(function: str, **extra: str) -> dict[str, str]:
    """The environment of a deployed ``function`` (see the module docstring), plus ``extra``."""
    code_dir, module, attr = infra.handler_of(function)
    runtime = infra.template()["Globals"]["Function"].get("Runtime", "python3")
    return (
        clean_environ()
        | function_environment(function)
        | {
            "PYTHONPATH": os.pathsep.join(str(p) for p in code_paths(function)),
            "LAMBDA_TASK_ROOT": str(code_dir),
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime}",
            "_HANDLER": f"{module}.{attr}",
            "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",
            "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        }
        | extra
    )


@dataclass(frozen=True)
class Import:
    label: str
    modules: str
    env: dict[str, str]


def _python(subject: Import, *options: str) -> subprocess.CompletedProcess[str]:
    code_dir, _, _ = infra.handler_of(FUNCTION)
    done = subprocess.run(
        [sys.executable, *options, "-c", TIMER.format(subject.modules)],
        env=subject.env,
        cwd=code_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"importing {subject.modules} failed:\n{done.stderr}")
    return done


def _seconds(subject: Import) -> float:
    return float(_python(subject).stdout.split()[-1])


def _profile(subject: Import) -> dict[str, tuple[float, float, str]]:
    """``-X importtime``: module → (cumulative ms, self ms, the module that imported it), medians.

    ``import a.b`` can list ``a.b`` twice (once inside ``a``'s own import): the
    outer line (the larger cumulative) gives cumulative and importer, self times add up.
    """
    cumulative: dict[str, list[float]] = defaultdict(list)
    own: dict[str, list[float]] = defaultdict(list)
    parent: dict[str, str] = {}
    for _ in range(PROFILE_RUNS):
        lines = [
            ln.removeprefix("import time:")
            for ln in _python(subject, "-X", "importtime").stderr.splitlines()
            if ln.startswith("import time:") and "[us]" not in ln
        ]
        cum_ms: dict[str, float] = {}
        self_ms: dict[str, float] = defaultdict(float)
        waiting: dict[int, list[tuple[str, float]]] = defaultdict(list)  # children come before their parent
        for ln in lines:
            self_us, cum_us, label = ln.split("|")
            depth, name, cum = (len(label) - len(label.lstrip())) // 2, label.strip(), int(cum_us) / 1000
            self_ms[name] += int(self_us) / 1000
            for child, child_cum in waiting.pop(depth + 1, []):
                if child_cum >= cum_ms.get(child, 0) and child != name:
                    parent[child] = name
            if cum >= cum_ms.get(name, 0):
                cum_ms[name] = cum
            waiting[depth].append((name, cum))
        for name, cum in cum_ms.items():
            cumulative[name].append(cum)
            own[name].append(self_ms[name])
    return {m: (statistics.median(cumulative[m]), statistics.median(own[m]), parent.get(m, "-")) for m in cumulative}


def _origin(top_level: str) -> str:
    """Where a top-level import comes from: the project, the stdlib, the layer, or only this venv."""
    if top_level in _project_packages():
        return "project"
    dists = {canonicalize_name(d) for d in metadata.packages_distributions().get(top_level, [])}
    if not dists:
        return "stdlib"
    return "layer" if dists & _layer_distributions() else "dev only"


@lru_cache(maxsize=1)
def _project_packages() -> set[str]:
    return {p.stem for d in code_paths(FUNCTION) for p in d.iterdir() if p.suffix == ".py" or p.is_dir()}


@lru_cache(maxsize=1)
def _layer_distributions() -> set[str]:
    """The distributions ``shared/requirements.txt`` installs into the layer (with their dependencies)."""
    todo = [
        Requirement(ln) for ln in LAYER_REQUIREMENTS.read_text().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    seen: set[str] = set()
    while todo:
        req = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(req.name) or []
        except metadata.PackageNotFoundError:
            continue
        for dep in map(Requirement, requires):
            if dep.marker is None or any(dep.marker.evaluate({"extra": e}) for e in req.extras or {""}):
                todo.append(dep)
    return seen


def _short(module: str) -> str:
    return module.replace("aws_lambda_powertools.", "powertools.")


def run() -> None:
    module = infra.handler_of(FUNCTION)[1]
    env = lambda_environment(FUNCTION)
    handler = Import(f"(a) handler `{module}`, tracing on as deployed", module, env)
    baseline = Import(f"(b) {BASELINE}", BASELINE, env)
    untraced = Import("(c) handler, POWERTOOLS_TRACE_DISABLED=1", module, env | {"POWERTOOLS_TRACE_DISABLED": "1"})
    cases = (handler, baseline, untraced)
    times: dict[str, list[float]] = {c.label: [] for c in cases}
    for i in range(RUNS + 1):
        for c in cases:
            seconds = _seconds(c)
            if i:  # the first round warms the caches
                times[c.label].append(seconds * 1000)
    med = {label: statistics.median(ms) for label, ms in times.items()}
    ratio = med[handler.label] / med[baseline.label]

    runtime = infra.template()["Globals"]["Function"].get("Runtime", "?")
    table(
        f"Import time, ms (fresh interpreter, median of {RUNS}; Python {sys.version.split()[0]} here, "
        f"{runtime} in Lambda)",
        ["import", "median", "min", "max"],
        [[c.label, f"{med[c.label]:.0f}", f"{min(times[c.label]):.0f}", f"{max(times[c.label]):.0f}"] for c in cases],
    )
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(
        f"a / b = {ratio:.2f}   target ≤ {TARGET_RATIO}: {verdict}   "
        f"(the handler adds {med[handler.label] - med[baseline.label]:.0f} ms; "
        f"tracing {med[handler.label] - med[untraced.label]:.0f} ms of it)"
    )

    profile, base = _profile(handler), _profile(baseline)
    slowest = sorted((m for m in profile if m != module), key=lambda m: -profile[m][0])[:10]
    table(
        f"Slowest imports of the handler, ms (-X importtime, median of {PROFILE_RUNS}; "
        "powertools = aws_lambda_powertools; 'in b': (b) imports it too)",
        ["module", "cumulative", "self", "imported by", "in b"],
        [
            [
                _short(m),
                f"{profile[m][0]:.1f}",
                f"{profile[m][1]:.1f}",
                _short(profile[m][2]),
                "yes" if m in base else "no",
            ]
            for m in slowest
        ],
    )

    extra: dict[tuple[str, str], float] = defaultdict(float)
    for m, (_, self_ms, _) in profile.items():
        if m not in base:
            origin = _origin(m.split(".")[0])
            extra[m if origin == "project" else m.split(".")[0], origin] += self_ms
    top = sorted(extra.items(), key=lambda kv: -kv[1])[:12]
    table(
        "Beyond (b): the handler's extra imports, self time by package (project: by module), ms — where to "
        "trim; 'dev only' = not in the layer, so not imported in Lambda",
        ["package", "self", "from"],
        [[p, f"{ms:.1f}", origin] for (p, origin), ms in top],
    )
    print(
        f"all extra imports: {sum(extra.values()):.0f} ms self time "
        f"(module bodies included, e.g. pydantic building the models)"
    )
