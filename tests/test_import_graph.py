"""The import graph of our apps keeps the direction DESIGN.md gives, and has no cycles.

Every module of every app is parsed with `ast`; an import anywhere in it counts, at the
top or inside a function (a function-level import is still a dependency, only a later
one). Imports under `if TYPE_CHECKING:` never run and are left out. The rules:

- `core` imports none of our apps;
- nothing imports `home` except `lms`, the project;
- imports point down: cohorts -> modules, assessments -> accounts -> core, home -> modules,
  and `modules` imports `assessments` only from `modules/blocks.py` (the block that embeds
  an instrument in a lesson);
- a models module imports no views module;
- no two of our modules import each other, directly or round a longer circle. Here an
  import inside a function counts when it crosses from one app to another, and not when it
  stays inside one app: a page model reaching its own selectors when it renders, or a task
  calling the service that queued it, runs after both modules have loaded, so it can
  neither fail at start-up nor tie two apps together. (A models module importing a views
  module is refused by its own rule, whatever the depth.)

Each test lists every offender as "<file> imports <module>" or "cycle: ...".
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOT_APPS = {"tests", "bench", "scripts", "docs", "templates", "node_modules"}

# Which apps each app may import (its own modules always). DESIGN.md: "Imports point down:
# notifications -> learning_sets -> cohorts -> modules, assessments -> accounts -> core;
# home -> modules; everyone may import core". `lms` is the project and may import any app.
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "accounts": {"core"},
    "assessments": {"accounts", "core"},
    "modules": {"accounts", "core"},
    "home": {"modules", "accounts", "core"},
    "cohorts": {"modules", "assessments", "accounts", "core"},
    "learning_sets": {"cohorts", "modules", "assessments", "accounts", "core"},
    "notifications": {"learning_sets", "cohorts", "modules", "assessments", "accounts", "core"},
}
PROJECT = "lms"
# The one sideways import DESIGN.md allows: (importing app, imported app) -> the files.
ALLOWED_FROM = {("modules", "assessments"): {"modules/blocks.py"}}

# Offenders allowed while someone fixes them, each with its reason. Empty: keep it so.
# `test_every_known_offender_is_still_real` fails on an entry that is no longer real.
ALLOWED_FOR_NOW: set[str] = set()


# The checker ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str  # dotted: "modules.views"; a package by its own name: "core.templatetags"
    path: str  # relative to the repository: "modules/views.py"
    source: str

    @property
    def app(self) -> str:
        return self.name.split(".")[0]

    @property
    def package(self) -> str:
        """The package a relative import starts from."""
        if self.path.endswith("__init__.py"):
            return self.name
        return self.name.rpartition(".")[0]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _import_nodes(
    tree: ast.AST, *, in_function: bool = False
) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement in the tree, at any depth, except under TYPE_CHECKING, with
    whether it sits inside a function (and so runs only when that is called)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, in_function
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from _import_nodes(
                    ast.Module(body=[child], type_ignores=[]), in_function=in_function
                )
        else:
            yield from _import_nodes(node, in_function=in_function or isinstance(node, FUNCTIONS))


def imported_modules(module: Module, known: set[str], *, for_cycles: bool = False) -> set[str]:
    """The modules of ours that `module` imports: `from x import y` means `x.y` when that
    is a module of ours, else `x`. Packages and modules outside `known` are left out.

    `for_cycles` leaves out imports inside a function that stay inside the module's own
    app (see the module docstring)."""
    found = set()
    for node, in_function in _import_nodes(ast.parse(module.source, filename=module.path)):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            if node.level:
                base = module.package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            candidates = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin
                for alias in node.names
            ]
        if for_cycles and in_function:
            candidates = [name for name in candidates if name.split(".")[0] != module.app]
        found.update(name for name in candidates if name in known and name != module.name)
    return found


def module_graph(modules: Iterable[Module], *, for_cycles: bool = False) -> dict[Module, set[str]]:
    modules = list(modules)
    known = {module.name for module in modules}
    return {module: imported_modules(module, known, for_cycles=for_cycles) for module in modules}


def _offence(module: Module, target: str) -> str:
    return f"{module.path} imports {target}"


def core_offences(graph: Mapping[Module, set[str]]) -> set[str]:
    return {
        _offence(module, target)
        for module, targets in graph.items()
        if module.app == "core"
        for target in targets
        if target.split(".")[0] != "core"
    }


def home_offences(graph: Mapping[Module, set[str]]) -> set[str]:
    return {
        _offence(module, target)
        for module, targets in graph.items()
        if module.app not in {"home", PROJECT}
        for target in targets
        if target.split(".")[0] == "home"
    }


def direction_offences(graph: Mapping[Module, set[str]]) -> set[str]:
    offences = set()
    for module, targets in graph.items():
        if module.app == PROJECT:
            continue
        for target in targets:
            app = target.split(".")[0]
            if app == module.app or app in MAY_IMPORT.get(module.app, set()):
                continue
            if module.path in ALLOWED_FROM.get((module.app, app), set()):
                continue
            offences.add(_offence(module, target))
    return offences


def _is_views(name: str) -> bool:
    last = name.rpartition(".")[2]
    return last == "views" or last.endswith("_views")


def models_views_offences(graph: Mapping[Module, set[str]]) -> set[str]:
    return {
        _offence(module, target)
        for module, targets in graph.items()
        if module.name.rpartition(".")[2] == "models"
        for target in targets
        if _is_views(target)
    }


def cycles(graph: Mapping[Module, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    edges = {module.name: sorted(targets) for module, targets in graph.items()}
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(start: str) -> None:
        # Iterative, so that a long chain of imports cannot exhaust Python's stack.
        work = [(start, iter(edges.get(start, [])))]
        index[start] = lowlink[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = lowlink[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    lowlink[node] = min(lowlink[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                lowlink[parent] = min(lowlink[parent], lowlink[node])
            if lowlink[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))

    for name in sorted(edges):
        if name not in index:
            visit(name)
    return sorted(found)


def cycle_offences(graph: Mapping[Module, set[str]]) -> set[str]:
    return {"cycle: " + ", ".join(component) for component in cycles(graph)}


def cycle_edges(graph: Mapping[Module, set[str]], component: Iterable[str]) -> list[str]:
    """The imports inside one cycle, to say in a failure which ones to break."""
    members = set(component)
    return sorted(
        f"{module.name} -> {target}"
        for module, targets in graph.items()
        if module.name in members
        for target in targets
        if target in members
    )


# Our apps ------------------------------------------------------------------------------


def our_apps() -> list[str]:
    return sorted(
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS and not path.parent.name.startswith(".")
    )


def our_modules() -> Iterator[Module]:
    for app in our_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield Module(".".join(parts), relative.as_posix(), path.read_text())


# Built when a test first asks, not when pytest collects the file: every test process
# collects every file, and parsing the project twice took a second of each collection.
@pytest.fixture(scope="module")
def graph() -> dict[Module, set[str]]:
    return module_graph(our_modules())


@pytest.fixture(scope="module")
def cycle_graph() -> dict[Module, set[str]]:
    return module_graph(our_modules(), for_cycles=True)


def unexplained(offences: set[str]) -> list[str]:
    return sorted(offences - ALLOWED_FOR_NOW)


def listed(offences: list[str]) -> str:
    return "\n" + "\n".join(offences)


def test_the_graph_covers_every_app_and_each_has_a_place(graph):
    apps = our_apps()

    assert {"core", "accounts", "modules", "assessments", "cohorts", "home", "lms"} <= set(apps)
    assert sorted(set(apps) - set(MAY_IMPORT) - {PROJECT}) == [], (
        "Give the new app its place in MAY_IMPORT (and in DESIGN.md's import direction)."
    )
    assert sum(1 for module in graph if module.name == "modules.blocks") == 1


def test_core_imports_none_of_our_apps(graph):
    offences = unexplained(core_offences(graph))

    assert offences == [], listed(offences)


def test_nothing_imports_home_except_the_project(graph):
    offences = unexplained(home_offences(graph))

    assert offences == [], listed(offences)


def test_imports_point_down(graph):
    offences = unexplained(direction_offences(graph))

    assert offences == [], listed(offences)


def test_no_models_module_imports_a_views_module(graph):
    offences = unexplained(models_views_offences(graph))

    assert offences == [], listed(offences)


def test_no_module_imports_itself_round_a_circle(cycle_graph):
    offences = unexplained(cycle_offences(cycle_graph))

    assert offences == [], listed(
        [
            f"{offence}\n    "
            + "\n    ".join(cycle_edges(cycle_graph, offence.removeprefix("cycle: ").split(", ")))
            for offence in offences
        ]
    )


def test_every_known_offender_is_still_real(graph, cycle_graph):
    # Once an offender is fixed its entry must go, so the list cannot hide a new one.
    everything = (
        core_offences(graph)
        | home_offences(graph)
        | direction_offences(graph)
        | models_views_offences(graph)
        | cycle_offences(cycle_graph)
    )

    stale = sorted(ALLOWED_FOR_NOW - everything)

    assert stale == [], listed(stale)


# The checker on a small made-up project, so that it is known to fail -------------------


def made_up(files: dict[str, str], *, for_cycles: bool = False) -> dict[Module, set[str]]:
    modules = []
    for path, source in files.items():
        parts = path.removesuffix(".py").split("/")
        if parts[-1] == "__init__":
            parts.pop()
        modules.append(Module(".".join(parts), path, source))
    return module_graph(modules, for_cycles=for_cycles)


MADE_UP_FILES = {
    "core/__init__.py": "",
    "core/text.py": "def helper():\n    from accounts.models import User\n",
    "accounts/__init__.py": "",
    "accounts/models.py": "from core import text\n",
    "assessments/__init__.py": "",
    "assessments/models.py": "",
    "modules/__init__.py": "",
    "modules/blocks.py": "from assessments.models import *\n",
    "modules/models.py": (
        "from typing import TYPE_CHECKING\n"
        "from .blocks import *\n"
        "if TYPE_CHECKING:\n"
        "    from cohorts.models import Cohort\n"
        "class LessonPage:\n"
        "    def serve(self):\n"
        "        from . import views\n"
    ),
    "modules/views.py": "from .models import LessonPage\nfrom assessments import models\n",
    "modules/certificates.py": "from home.models import SiteSettings\n",
    "home/__init__.py": "",
    "home/models.py": "from modules.certificates import *\n",
    "cohorts/__init__.py": "",
    "cohorts/models.py": "import modules.models\nimport home.models\n",
    "lms/__init__.py": "",
    "lms/urls.py": "import home.models\nimport cohorts.models\n",
    # Inside one app: a circle at load time, and one only through a function.
    "cohorts/a.py": "from . import b\n",
    "cohorts/b.py": "from .a import thing\n",
    "cohorts/services.py": "from . import tasks\n",
    "cohorts/tasks.py": "def build():\n    from . import services\n",
}
MADE_UP = made_up(MADE_UP_FILES)


def test_the_checker_reads_function_level_and_relative_imports():
    graph = {module.name: targets for module, targets in MADE_UP.items()}

    assert graph["core.text"] == {"accounts.models"}
    assert graph["modules.models"] == {"modules.blocks", "modules.views"}
    assert graph["assessments.models"] == set()


def test_the_checker_finds_core_importing_an_app():
    assert core_offences(MADE_UP) == {"core/text.py imports accounts.models"}


def test_the_checker_finds_an_app_importing_home():
    assert home_offences(MADE_UP) == {
        "modules/certificates.py imports home.models",
        "cohorts/models.py imports home.models",
    }


def test_the_checker_allows_the_instrument_block_and_nothing_else_sideways():
    offences = direction_offences(MADE_UP)

    assert "modules/blocks.py imports assessments.models" not in offences
    assert offences == {
        "core/text.py imports accounts.models",
        "modules/certificates.py imports home.models",
        "modules/views.py imports assessments.models",
        "cohorts/models.py imports home.models",
    }


def test_the_checker_finds_a_models_module_importing_views():
    assert models_views_offences(MADE_UP) == {"modules/models.py imports modules.views"}


def test_the_checker_finds_every_circle():
    assert cycles(MADE_UP) == [
        ["accounts.models", "core.text"],
        ["cohorts.a", "cohorts.b"],
        ["cohorts.services", "cohorts.tasks"],
        ["home.models", "modules.certificates"],
        ["modules.models", "modules.views"],
    ]
    assert cycle_edges(MADE_UP, ["modules.models", "modules.views"]) == [
        "modules.models -> modules.views",
        "modules.views -> modules.models",
    ]


def test_a_circle_counts_function_level_imports_only_across_apps():
    assert cycles(made_up(MADE_UP_FILES, for_cycles=True)) == [
        ["accounts.models", "core.text"],  # core's function imports accounts: across apps
        ["cohorts.a", "cohorts.b"],  # both at load time
        ["home.models", "modules.certificates"],
    ]


@pytest.mark.parametrize("length", [2, 3, 2000])
def test_the_checker_finds_a_circle_of_any_length(length):
    names = [f"core.m{i}" for i in range(length)]
    graph = {
        Module(name, name.replace(".", "/") + ".py", ""): {names[(i + 1) % length]}
        for i, name in enumerate(names)
    }

    assert cycles(graph) == [sorted(names)]


def test_the_checker_finds_an_app_importing_the_project():
    # How the id converter used to be reached, before it moved to core.
    graph = made_up(
        {
            "lms/__init__.py": "",
            "lms/converters.py": "",
            "cohorts/__init__.py": "",
            "cohorts/urls.py": "from lms import converters\n",
        }
    )

    assert direction_offences(graph) == {"cohorts/urls.py imports lms.converters"}
