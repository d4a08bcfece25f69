"""Run ``rasa data validate`` and fail on any warning, except for runtime-only responses.

A few domain responses are sent by the Rasa server's own code, never by a rule or a
story: the clarifying questions (``utter_ask_safety_*``), those the red-flag catalogue
names for a flag, and
:data:`bot.policies.safety_plan.POLICY_ONLY_RESPONSES` (the safety policy sends them), and
:data:`bot.runtime.processor.RUNTIME_ONLY_RESPONSES` (e.g. the reply for a turn that
would otherwise get none). Rasa warns that they are "not used in any story or
rule"; that one warning is expected for them and for nothing else. Every other warning
fails, as with ``--fail-on-warnings``. ``make validate`` runs this.
"""

from __future__ import annotations

import re
import subprocess
import sys

from bot.policies.safety_names import ASK_QUESTION_PREFIX
from bot.policies.safety_plan import POLICY_ONLY_RESPONSES, load_flag_infos
from bot.runtime.processor import RUNTIME_ONLY_RESPONSES
from bot.runtime.tracker_store import CATALOGUE

UNUSED = re.compile(r"The utterance '([^']+)' is not used in any story or rule")
WARNING = re.compile(r"UserWarning: (.*)")


def main() -> int:
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    allowed = {
        *RUNTIME_ONLY_RESPONSES,
        *POLICY_ONLY_RESPONSES,
        *(flag.response for flag in load_flag_infos(CATALOGUE).values()),
    }
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        found = WARNING.search(line)
        if not found:
            continue
        unused = UNUSED.search(found.group(1))
        if unused and (
            unused.group(1) in allowed or unused.group(1).startswith(ASK_QUESTION_PREFIX)
        ):
            continue
        problems.append(found.group(1))
    for problem in problems:
        print(f"warning: {problem}")
    if result.returncode != 0:
        print(result.stdout[-2000:], result.stderr[-2000:])
        return result.returncode
    if problems:
        print(f"{len(problems)} warning(s): validation failed")
        return 1
    print("training data and domain are valid")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
