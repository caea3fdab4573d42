"""The rooms stay small and the layers point one way (docs/architecture.md)."""

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"complaints": ROOT / "shared" / "complaints", "local": ROOT / "local"}
MAX_LINES = 300


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports at import time (not those under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in out if m in known and m != name}


def test_no_import_circle():
    mods = modules()
    graph = {name: imports(name, path, set(mods)) for name, path in mods.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " → ".join([*trail[trail.index(nxt) :], nxt]))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def imported(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, project or not."""
    known = {m for m in modules()} | {"boto3", "botocore", "aws_lambda_powertools"}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    plain = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    absolute = {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and not n.level}
    return imports(name, path, known) | plain | absolute


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (
            "complaints.domain",
            (
                "boto3",
                "botocore",
                "aws_lambda_powertools",
                "complaints.usecases",
                "complaints.adapters",
                "complaints.notices",
                "complaints.wiring",
                "complaints.settings",
                "complaints.ports",
            ),
        ),
        ("complaints.usecases", ("boto3", "botocore", "complaints.adapters", "complaints.wiring")),
        ("complaints.ports", ("boto3", "botocore", "complaints.adapters", "complaints.usecases")),
    ],
)
def test_each_layer_imports_only_what_is_below_it(layer, forbidden):
    for name, path in modules().items():
        if name.startswith(layer):
            assert not {m for m in imported(name, path) if m.startswith(forbidden)}, name


def test_no_file_outside_tests_and_docs_is_over_300_lines():
    long = []
    for folder in ("shared", "functions", "local", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".txt") and path.is_file():
                lines = len(path.read_text(encoding="utf-8").splitlines())
                if lines > MAX_LINES:
                    long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []
