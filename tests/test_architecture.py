"""The direction of imports, checked on the code: fronts -> service -> the rest, never back.

Every module of coach/ is imported (so a broken one fails here), then its source is
read for every import it makes, including those inside functions.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import coach
from tests.conftest import ROOT

FRONTS = ("coach.ui", "coach.commands", "coach.cli", "coach.__main__")
SERVICE = "coach.service"


def modules() -> dict[str, Path]:
    found = {"coach": Path(coach.__file__)}
    for info in pkgutil.walk_packages(coach.__path__, prefix="coach."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin, info.name
        found[info.name] = Path(spec.origin)
    return found


def imports_of(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def within(name: str, prefixes: tuple[str, ...] | str) -> bool:
    prefixes = (prefixes,) if isinstance(prefixes, str) else prefixes
    return any(name == p or name.startswith(p + ".") for p in prefixes)


MODULES = modules()


def test_every_module_imports():
    for name in MODULES:
        if name != "coach.__main__":  # running it is the command line itself
            importlib.import_module(name)
    assert {"coach.service", "coach.store.db", "coach.profile", "coach.clock"} <= set(MODULES)


def test_nothing_below_the_service_imports_it_or_a_front():
    wrong = {
        name: sorted(i for i in imports_of(name, path) if within(i, (SERVICE, *FRONTS)))
        for name, path in MODULES.items()
        if not within(name, (SERVICE, *FRONTS))
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_only_the_ui_imports_streamlit_or_the_ui():
    wrong = {
        name: sorted(i for i in imports_of(name, path) if within(i, ("streamlit", "coach.ui")))
        for name, path in MODULES.items()
        if not within(name, "coach.ui")
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_pages_go_through_the_service_not_the_domain_writers():
    """Pages read snapshots and write through coach.service, never the store's writers."""
    writers = (
        "save_checkin(",
        "save_checkins(",
        "merge_checkin(",
        "set_step_state(",
        "update_profile(",
        "save_plan(",
        "add_assessment(",
        "save_draft(",
        "import_profile(",
        "export_profile(",
        "delete_profile(",
        "create_profile(",
        "set_goal_target(",
    )
    for name, path in MODULES.items():
        if not within(name, FRONTS):
            continue
        text = path.read_text(encoding="utf-8")
        for writer in writers:
            for line in text.splitlines():
                if writer in line and "store" in line and "service." not in line:
                    raise AssertionError(f"{name} calls the store's {writer} directly: {line}")


def test_the_architecture_doc_names_every_module():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for _name, path in MODULES.items():
        rel = path.relative_to(ROOT).as_posix()
        shown = rel[: -len("__init__.py")] if path.name == "__init__.py" else rel
        if f"`{shown}`" not in doc:
            missing.append(shown)
    assert missing == []


def test_no_module_is_over_500_lines():
    """One job a module: a file that grows past 500 lines is split along its seams."""
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
