"""No import cycle between the modules of the site's packages, not even through an import
inside a function.

Python runs a module's top-level imports (those in its body and in its class bodies) when the
module is first imported, so two modules that import each other that way depend on the order
they are first imported in, and a name may not exist yet when the other asks for it (the
`# noqa: E402` re-exports at the end of a module are the symptom). An import inside a function
runs later, when the function is called: it does not break the start-up, but it hides the same
circle of dependencies, and it is counted too. Only an import under `if TYPE_CHECKING:` is
left out: it never runs. The direction of imports between packages (meetings -> members ->
anso) is import-linter's check, `make lint-imports`.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("anso", "members", "meetings")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None) if isinstance(node, ast.If) else None
    name = getattr(test, "id", None) or getattr(test, "attr", None)
    return name == "TYPE_CHECKING"


def _imports(tree: ast.Module):
    """The import statements that can run: at the top of the module, in class bodies and
    inside functions, everywhere but under `if TYPE_CHECKING:`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        if _type_checking_only(node):
            pending.extend(node.orelse)
        else:
            pending.extend(ast.iter_child_nodes(node))


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known) -> set:
    """The site's modules an import statement loads (the deepest module each name is)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join([*package, base]) if base else ".".join(package)
        # `from package import submodule` loads the submodule; any other name is read from
        # the module `base` itself.
        targets = [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
            for alias in node.names
        ]
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != module:
            found.add(target)
    return found


def import_graph() -> dict[str, dict[str, int]]:
    """Each module -> the site's modules it imports, with the line."""
    modules = _modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in modules.items():
        edges = graph.setdefault(name, {})
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in _imports(tree):
            for target in _imported(node, name, path.name == "__init__.py", modules):
                edges.setdefault(target, node.lineno)
    return graph


def import_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, {}):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def _describe(cycle: list[str], graph: dict[str, dict[str, int]]) -> str:
    members = set(cycle)
    return "; ".join(
        f"{module} imports {target} (line {line})"
        for module in cycle
        for target, line in sorted(graph[module].items())
        if target in members
    )


def test_no_import_cycle_between_modules():
    graph = import_graph()
    cycles = [_describe(cycle, graph) for cycle in import_cycles(graph)]
    assert not cycles, "Import cycles:\n" + "\n".join(cycles)


@pytest.mark.parametrize(
    ("files", "cycle"),
    [
        (
            {
                "members/models.py": "from .nominations.models import Nomination\n",
                "members/nominations/models.py": "from members.models import Person\n",
            },
            ["members.models", "members.nominations.models"],
        ),
        (
            {
                "meetings/models.py": "from .attendance import models as attendance\n",
                "meetings/attendance/models.py": "class A:\n    from ..models import Meeting\n",
            },
            ["meetings.attendance.models", "meetings.models"],
        ),
        (
            {
                "anso/mail.py": "def f():\n    from .tasks import send\n",
                "anso/tasks.py": "from .mail import f\n",
            },
            ["anso.mail", "anso.tasks"],
        ),
        (
            {
                "meetings/services.py": (
                    "async def f():\n    if True:\n        import meetings.tasks\n"
                ),
                "meetings/tasks.py": (
                    "class T:\n    def run(self):\n        from . import services\n"
                ),
            },
            ["meetings.services", "meetings.tasks"],
        ),
    ],
    ids=["relative and absolute", "class body", "inside a function", "nested in functions"],
)
def test_import_cycles_are_found(tmp_path, monkeypatch, files, cycle):
    """The check sees a cycle through relative, absolute, class-body and function imports."""
    for name, text in files.items():
        path = tmp_path / name
        for folder in (path.parent, *path.parent.parents):
            if folder == tmp_path:
                break
            folder.mkdir(exist_ok=True)
            (folder / "__init__.py").touch()
        path.write_text(text)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    for package in PACKAGES:
        (tmp_path / package).mkdir(exist_ok=True)
    assert import_cycles(import_graph()) == [cycle]


@pytest.mark.parametrize(
    "mail",
    [
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .tasks import send\n",
        "import typing\ndef f():\n    if typing.TYPE_CHECKING:\n        from .tasks import send\n",
    ],
    ids=["for type checking only", "for type checking only, in a function"],
)
def test_an_import_that_never_runs_closes_no_cycle(tmp_path, monkeypatch, mail):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").touch()
    (tmp_path / "anso" / "mail.py").write_text(mail)
    (tmp_path / "anso" / "tasks.py").write_text("from .mail import f\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert import_cycles(import_graph()) == []


#: Modules that keep the dotted paths of moved tasks, for tasks still queued under them: the
#: workers import them by those paths (tests/test_task_paths.py), nothing of the site does.
FORMER_TASK_PATHS = {"anso.tasks", "meetings.invitations.tasks", "meetings.documents.tasks"}


def test_no_module_imports_the_former_task_paths():
    """A task is imported from the module of its work, and `background` from
    `anso.background.tasks`: the modules of former paths import the site's modules and may only be
    the workers' way in."""
    graph = import_graph()
    importers = [
        f"{module} imports {target} (line {line})"
        for module, targets in sorted(graph.items())
        for target, line in sorted(targets.items())
        if target in FORMER_TASK_PATHS
    ]
    assert importers == []
