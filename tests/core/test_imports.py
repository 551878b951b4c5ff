"""`core` holds helpers that know no domain: it imports none of the project's apps."""

import ast
from pathlib import Path

import core

PROJECT_APPS = {"accounts", "assessments", "cohorts", "home", "lms", "modules"}


def imported_top_level_names(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_imports_none_of_our_apps():
    files = sorted(Path(core.__file__).parent.rglob("*.py"))
    assert files, "core has no modules to check"

    offenders = {
        str(path): sorted(imported_top_level_names(path.read_text()) & PROJECT_APPS)
        for path in files
    }

    assert {path: apps for path, apps in offenders.items() if apps} == {}


def test_the_check_sees_an_import_of_an_app():
    assert imported_top_level_names("from cohorts.models import Cohort\nimport modules") >= {
        "cohorts",
        "modules",
    }
