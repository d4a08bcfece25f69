"""Python code must hold no patient-facing prose: every sentence lives in content/.

The check is a heuristic over the syntax tree of ``actions/**/*.py`` and ``bot/**/*.py``:
a string constant (f-string pieces included) of six or more words looks like prose.
Docstrings, log and warning messages, exception messages and regular expressions
(arguments of ``re.*`` calls, or text with backslashes, bars or angle brackets) are
skipped. A string that must stay in code can be marked ``# prose-ok`` at the end
of its line, with a comment saying why.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [*(REPO_ROOT / "actions").rglob("*.py"), *(REPO_ROOT / "bot").rglob("*.py")],
    key=str,
)
MIN_WORDS = 6
LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "msg"}
)
ALLOW_MARK = "# prose-ok"
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
# Backslashes, angle brackets, bars and "(?" mark regular expressions and markup.
CODE_MARKERS = re.compile(r"[\\<>|]|\(\?")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                found.add(id(body[0].value))
    return found


def _is_exempt(node: ast.AST) -> bool:
    """Say whether strings under ``node`` are for developers or machines, not patients.

    That is a raise, a call to a logger, ``warnings.warn`` or ``print``, or a call to
    the ``re`` module (a pattern that reads patients' words, not one they read).
    """
    if isinstance(node, ast.Raise):
        return True
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in LOG_METHODS:
            return True
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "re"
        ):
            return True
        if isinstance(func, ast.Name) and func.id == "print":
            return True
    return False


def prose_strings(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line, text) for string constants in ``path`` that look like prose."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = source.splitlines()
    docstrings = _docstring_nodes(tree)

    def visit(node: ast.AST, in_developer_message: bool) -> Iterator[tuple[int, str]]:
        inside = in_developer_message or _is_exempt(node)
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and not inside
            and len(WORD.findall(node.value)) >= MIN_WORDS
            and not CODE_MARKERS.search(node.value)
        ):
            line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
            if ALLOW_MARK not in line:
                yield node.lineno, node.value
        for child in ast.iter_child_nodes(node):
            yield from visit(child, inside)

    yield from visit(tree, False)


def test_the_scan_finds_sources() -> None:
    assert any(path.parts[-2:] == ("education", "actions.py") for path in SOURCES)


def test_the_heuristic_flags_prose_and_skips_developer_text(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Module docstring with many words in it, which is fine."""\n'
        "import logging\n"
        "logger = logging.getLogger(__name__)\n"
        "def f(x: int) -> str:\n"
        '    """Function docstring with many words in it, also fine."""\n'
        "    if x:\n"
        '        raise ValueError(f"the value {x} is not allowed here at all")\n'
        '    logger.info("a log line with quite a few words in it")\n'
        '    pattern = re.compile(r"\\b(not sure|no idea|do not know|skip it)\\b")\n'
        '    table = "FAIL: emergency < 100% or FP > 5%"\n'
        '    patterns = [r"(\\d+) and a half of an hour or so\\b"]\n'
        '    return f"Hello {x}, your pain is real and it can get better."\n',
        encoding="utf-8",
    )
    found = [text for _, text in prose_strings(sample)]
    assert found == [", your pain is real and it can get better."]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_patient_facing_prose_in_python(path: Path) -> None:
    found = [f"{path.name}:{line}: {text!r}" for line, text in prose_strings(path)]
    assert not found, "move these sentences to content/:\n" + "\n".join(found)
