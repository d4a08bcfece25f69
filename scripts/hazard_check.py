"""Check the clinical-safety hazard log against the tests (part of ``make safety-report``).

``docs/clinical-safety/hazard_log.yml`` lists each hazard, its controls and the tests
that prove each control. This script fails (exit 1), naming the hazard and control,
when:

- a referenced test is gone: a pytest node id ``tests/x.py::test_name`` (or
  ``tests/x.py::Class::test_name``; a ``[parameter]`` suffix is ignored) whose file or
  function no longer exists, or a test data file such as ``tests/safety/phrasings.yml``
  that is missing (``file.yml::name`` also needs a top-level key, story or rule ``name``);
- a risk rating does not follow the log's matrix, or a residual risk exceeds the initial;
- a red-flag tier of ``content/red_flags.yml``, a flag, or a required path
  (``required_coverage``) is covered by no hazard;
- a hazard or control lacks a required field, or a control names no test.

Test functions are found by parsing the test files (no imports, so the end-to-end
tests need no servers); ``--collect`` also asks pytest to collect each node id::

    python -m scripts.hazard_check             # check, print the summary
    python -m scripts.hazard_check --collect   # also confirm with pytest --collect-only
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
HAZARD_LOG = REPO_ROOT / "docs" / "clinical-safety" / "hazard_log.yml"
CATALOGUE = REPO_ROOT / "content" / "red_flags.yml"
CRISIS_RESPONSE = "utter_urgent_care_crisis"
HAZARD_FIELDS = (
    "id", "title", "description", "causes", "effects", "initial", "controls", "residual",
)  # fmt: skip
CONTROL_FIELDS = ("id", "description", "tests")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the log: where (hazard/control) and what."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@cache
def _test_names(path: Path) -> frozenset[str]:
    """Return ``name`` and ``Class::name`` for every function defined in a test file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(f"{node.name}::{item.name}")
    return frozenset(names)


@cache
def _yaml_names(path: Path) -> frozenset[str]:
    """Return the top-level keys and the story, rule and test names of a YAML test file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    if isinstance(data, Mapping):
        names.update(str(key) for key in data)
        for value in data.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, Mapping):
                        for kind in ("story", "rule", "test"):
                            if kind in item:
                                names.add(str(item[kind]))
    return frozenset(names)


def missing_test(reference: str, root: Path = REPO_ROOT) -> str | None:
    """Return why ``reference`` names no existing test, or ``None`` if it does."""
    file_part, _, name = reference.partition("::")
    path = root / file_part
    if not file_part.startswith("tests/"):
        return f"{reference}: not a test under tests/"
    if not path.is_file():
        return f"{reference}: no such file"
    if path.suffix == ".py":
        if not name:
            return f"{reference}: name the test function (file.py::test_name)"
        if name.split("[", 1)[0] not in _test_names(path):
            return f"{reference}: no such test in {file_part}"
        return None
    if path.suffix in (".yml", ".yaml"):
        if name and name not in _yaml_names(path):
            return f"{reference}: no {name!r} in {file_part}"
        return None
    return f"{reference}: a test is a .py node id or a .yml test file"


def rating(log: Mapping[str, Any], assessment: Any) -> tuple[int | None, str | None]:
    """Return (the matrix rating, an error) for ``{severity, likelihood}``."""
    if not isinstance(assessment, Mapping):
        return None, "needs severity, likelihood and risk"
    severity = str(assessment.get("severity"))
    likelihood = str(assessment.get("likelihood"))
    severities: list[str] = list(log.get("severities") or [])
    matrix: Mapping[str, list[int]] = log.get("matrix") or {}
    if severity not in severities:
        return None, f"unknown severity {severity!r}"
    if likelihood not in matrix:
        return None, f"unknown likelihood {likelihood!r}"
    expected = matrix[likelihood][severities.index(severity)]
    if assessment.get("risk") != expected:
        return (
            expected,
            f"risk {assessment.get('risk')} should be {expected} ({severity}, {likelihood})",
        )
    return expected, None


def catalogue_coverage(path: Path = CATALOGUE) -> tuple[set[str], set[str]]:
    """Return the tiers (crisis counted apart) and the flag ids of the red-flag catalogue."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tiers: set[str] = set()
    flags: set[str] = set()
    for flag in data.get("flags") or []:
        flags.add(str(flag["id"]))
        crisis = flag.get("response") == CRISIS_RESPONSE
        tiers.add("tier:crisis" if crisis else f"tier:{flag['tier']}")
    return tiers, flags


def check(
    log: Mapping[str, Any], root: Path = REPO_ROOT, catalogue: Path = CATALOGUE
) -> list[Problem]:
    """Return every problem with the hazard log (an empty list when it holds)."""
    problems: list[Problem] = []
    hazards = log.get("hazards") or []
    if not hazards:
        return [Problem("hazard_log", "no hazards")]
    covered: set[str] = set()
    flags_covered: set[str] = set()
    seen: set[str] = set()
    for hazard in hazards:
        hid = str(hazard.get("id", "?"))
        if hid in seen:
            problems.append(Problem(hid, "duplicate hazard id"))
        seen.add(hid)
        for field in HAZARD_FIELDS:
            if not hazard.get(field):
                problems.append(Problem(hid, f"missing {field}"))
        initial, error = rating(log, hazard.get("initial"))
        if error:
            problems.append(Problem(hid, f"initial {error}"))
        residual, error = rating(log, hazard.get("residual"))
        if error:
            problems.append(Problem(hid, f"residual {error}"))
        if initial is not None and residual is not None and residual > initial:
            problems.append(Problem(hid, "residual risk above the initial risk"))
        covered.update(hazard.get("covers") or [])
        flags_covered.update(hazard.get("flags") or [])
        control_ids: set[str] = set()
        for control in hazard.get("controls") or []:
            where = f"{hid}/{control.get('id', '?')}"
            if control.get("id") in control_ids:
                problems.append(Problem(where, "duplicate control id"))
            control_ids.add(control.get("id"))
            for field in CONTROL_FIELDS:
                if not control.get(field):
                    problems.append(Problem(where, f"missing {field}"))
            for reference in control.get("tests") or []:
                why = missing_test(str(reference), root)
                if why:
                    problems.append(Problem(where, f"test gone: {why}"))
    tiers, flag_ids = catalogue_coverage(catalogue)
    for need in sorted({*tiers, *(log.get("required_coverage") or [])} - covered):
        problems.append(Problem("coverage", f"no hazard covers {need}"))
    for flag in sorted(flag_ids - flags_covered):
        problems.append(Problem("coverage", f"no hazard names the red flag {flag}"))
    for flag in sorted(flags_covered - flag_ids):
        problems.append(Problem("coverage", f"unknown red flag {flag}"))
    return problems


def references(log: Mapping[str, Any]) -> list[str]:
    """Return every pytest node id the log references, once each, in order."""
    found: list[str] = []
    for hazard in log.get("hazards") or []:
        for control in hazard.get("controls") or []:
            for reference in control.get("tests") or []:
                if str(reference).split("::")[0].endswith(".py") and reference not in found:
                    found.append(str(reference))
    return found


def collect(node_ids: Iterable[str], root: Path = REPO_ROOT) -> list[str]:
    """Return the node ids pytest cannot collect (slow: imports every test module)."""
    ids = list(node_ids)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *ids],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = {line.split("[", 1)[0] for line in result.stdout.splitlines() if "::" in line}
    return [node for node in ids if node.split("[", 1)[0] not in collected]


def summary(log: Mapping[str, Any]) -> str:
    """Return a one-line-per-hazard summary: risk before and after, controls, tests."""
    lines = ["hazard  initial  residual  controls  tests  title"]
    for hazard in log.get("hazards") or []:
        controls = hazard.get("controls") or []
        tests = sum(len(c.get("tests") or []) for c in controls)
        lines.append(
            f"{hazard.get('id', '?'):<7} {hazard.get('initial', {}).get('risk', '?'):^7}  "
            f"{hazard.get('residual', {}).get('risk', '?'):^8}  {len(controls):^8}  "
            f"{tests:^5}  {hazard.get('title', '')}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Check the log; print the summary and any problem; exit 1 on a problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=HAZARD_LOG, help="the hazard log YAML")
    parser.add_argument(
        "--collect", action="store_true", help="also confirm node ids with pytest --collect-only"
    )
    args = parser.parse_args(argv)
    log = yaml.safe_load(args.log.read_text(encoding="utf-8")) or {}
    problems = check(log)
    if args.collect and not problems:
        problems += [
            Problem("collect", f"pytest cannot collect {node}") for node in collect(references(log))
        ]
    print(summary(log))
    status = log.get("status", "draft")
    print(f"hazard log status: {status} (approved: {log.get('approved') or 'not yet'})")
    if problems:
        for problem in problems:
            print(f"FAIL {problem}")
        print(f"{len(problems)} problem(s) in {args.log}")
        return 1
    print(f"every control's tests exist ({len(references(log))} test functions)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
