"""The action server serves exactly the custom actions the domain names, each once."""

import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Action

import actions

ROOT = Path(__file__).resolve().parents[2]


def action_modules():
    """Every module of the ``actions`` package, sub-packages included."""
    return [info.name for info in pkgutil.walk_packages(actions.__path__, "actions.")]


def custom_action_classes():
    classes = set()
    for name in action_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, Action)
                and cls.__module__ == module.__name__
                and not inspect.isabstract(cls)
            ):
                classes.add(cls)
    return classes


# Every action class and its name in the domain: neither may change without the domain.
NAMES = {
    "actions.care_team.actions": {"ActionRequestHuman": "action_request_human"},
    "actions.checkin.actions": {
        "ActionCheckinIntro": "action_checkin_intro",
        "ActionAskPegPain": "action_ask_peg_pain",
        "ActionAskPegEnjoyment": "action_ask_peg_enjoyment",
        "ActionAskPegActivity": "action_ask_peg_activity",
        "ValidatePegForm": "validate_peg_form",
        "ActionPegResult": "action_peg_result",
    },
    "actions.education.actions": {
        "ActionExplainTopic": "action_explain_topic",
        "ActionShowMenu": "action_show_menu",
        "ActionShowTopics": "action_show_topics",
        "ActionSuggestTopics": "action_suggest_topics",
        "ActionLearningStart": "action_learning_start",
        "ActionLearningNext": "action_learning_next",
        "ActionAskTeachBackAnswer": "action_ask_teach_back_answer",
        "ValidateTeachBackForm": "validate_teach_back_form",
    },
    "actions.exercises.actions": {
        "ActionAskExerciseChoice": "action_ask_exercise_choice",
        "ValidateExerciseChoiceForm": "validate_exercise_choice_form",
        "ActionSaveExerciseProgramme": "action_save_exercise_programme",
        "ActionStartExerciseWalk": "action_start_exercise_walk",
        "ActionAskExerciseWalkAnswer": "action_ask_exercise_walk_answer",
        "ValidateExerciseWalkForm": "validate_exercise_walk_form",
        "ActionFinishExerciseWalk": "action_finish_exercise_walk",
        "ActionLogExercises": "action_log_exercises",
        "ActionShowExerciseSummary": "action_show_exercise_summary",
    },
    "actions.reminders.actions": {
        "ActionStartReminder": "action_start_reminder",
        "ActionStartReminderChange": "action_start_reminder_change",
        "ActionAskReminderKind": "action_ask_reminder_kind",
        "ActionAskReminderDays": "action_ask_reminder_days",
        "ActionAskReminderTime": "action_ask_reminder_time",
        "ValidateReminderForm": "validate_reminder_form",
        "ActionSaveReminder": "action_save_reminder",
        "ActionStopReminders": "action_stop_reminders",
    },
    "actions.flare_ups.actions": {
        "ActionFlareUpAdvice": "action_flare_up_advice",
        "ActionStartFlarePlan": "action_start_flare_plan",
        "ActionAskFlareTriggers": "action_ask_flare_triggers",
        "ActionAskFlareWarningSigns": "action_ask_flare_warning_signs",
        "ActionAskFlareHelps": "action_ask_flare_helps",
        "ActionAskFlareContacts": "action_ask_flare_contacts",
        "ActionAskFlareStepBack": "action_ask_flare_step_back",
        "ValidateFlarePlanForm": "validate_flare_plan_form",
        "ActionSaveFlarePlan": "action_save_flare_plan",
        "ActionShowFlarePlan": "action_show_flare_plan",
    },
    "actions.start_back.actions": {
        "ActionOfferStartBack": "action_offer_start_back",
        "ActionIntroduceStartBack": "action_introduce_start_back",
        "ActionAskStartBackQ1": "action_ask_start_back_q1",
        "ActionAskStartBackQ2": "action_ask_start_back_q2",
        "ActionAskStartBackQ3": "action_ask_start_back_q3",
        "ActionAskStartBackQ4": "action_ask_start_back_q4",
        "ActionAskStartBackQ5": "action_ask_start_back_q5",
        "ActionAskStartBackQ6": "action_ask_start_back_q6",
        "ActionAskStartBackQ7": "action_ask_start_back_q7",
        "ActionAskStartBackQ8": "action_ask_start_back_q8",
        "ActionAskStartBackQ9": "action_ask_start_back_q9",
        "ValidateStartBackForm": "validate_start_back_form",
        "ActionScoreStartBack": "action_score_start_back",
    },
    "actions.pacing.actions": {
        "ActionStartPacingPlan": "action_start_pacing_plan",
        "ActionAskPacingActivity": "action_ask_pacing_activity",
        "ActionAskPacingUnit": "action_ask_pacing_unit",
        "ActionAskPacingGoodDay": "action_ask_pacing_good_day",
        "ActionAskPacingBadDay": "action_ask_pacing_bad_day",
        "ActionAskPacingIncrease": "action_ask_pacing_increase",
        "ActionAskPacingGoal": "action_ask_pacing_goal",
        "ValidatePacingForm": "validate_pacing_form",
        "ActionSavePacingPlan": "action_save_pacing_plan",
        "ActionShowPacingPlan": "action_show_pacing_plan",
        "ActionAdvancePacingPlan": "action_advance_pacing_plan",
        "ActionStepBackPacingPlan": "action_step_back_pacing_plan",
        "ActionChangePacingBaseline": "action_change_pacing_baseline",
    },
}
CLASSES = [(module, cls, name) for module, names in NAMES.items() for cls, name in names.items()]


@pytest.mark.parametrize(("module", "cls", "name"), CLASSES)
def test_action_class_keeps_its_name(module, cls, name):
    assert getattr(importlib.import_module(module), cls)().name() == name


def test_the_name_table_lists_every_action_class():
    assert {(c.__module__, c.__name__) for c in custom_action_classes()} == {
        (module, cls) for module, cls, _ in CLASSES
    }


def test_every_feature_package_is_walked():
    packages = {name.split(".")[1] for name in action_modules()}
    assert {
        "common",
        "education",
        "pacing",
        "flare_ups",
        "checkin",
        "care_team",
        "exercises",
        "start_back",
    } <= packages


def test_action_classes_live_in_the_features_actions_modules():
    assert {cls.__module__.rsplit(".", 1)[-1] for cls in custom_action_classes()} == {"actions"}


def test_no_two_action_classes_share_a_name():
    names = [cls().name() for cls in custom_action_classes()]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates


def served_actions():
    """Return what rasa-sdk serves for the ``actions`` package, in a fresh interpreter.

    rasa-sdk registers every ``Action`` subclass the process has imported, so the test
    helpers' own small actions must not be in the same process.
    """
    script = (
        "import json; from rasa_sdk.executor import ActionExecutor\n"
        "executor = ActionExecutor(); executor.register_package('actions')\n"
        "print(json.dumps(sorted(executor.actions)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    )
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_action_server_serves_every_domain_action_and_no_other():
    domain_actions = set(yaml.safe_load((ROOT / "domain.yml").read_text())["actions"])
    assert served_actions() == domain_actions
    assert {cls().name() for cls in custom_action_classes()} == domain_actions


def test_importing_the_actions_does_no_work():
    # A fresh interpreter: importing every module must open no database and read no content.
    script = (
        "import pkgutil, importlib, actions\n"
        "names = [i.name for i in pkgutil.walk_packages(actions.__path__, 'actions.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "from actions.common.content import get_content\n"
        "from actions.education.topics import get_store\n"
        "from actions.pacing.store import get_plans_store\n"
        "from actions.exercises.store import get_exercise_store\n"
        "from actions.exercises.library import get_library\n"
        "from actions.start_back.store import get_start_back_store\n"
        "from actions.care_team.callback import get_outbox\n"
        "from bot.db import engine_for\n"
        "caches = (get_content, get_store, get_plans_store, get_outbox, engine_for,\n"
        "          get_exercise_store, get_library, get_start_back_store)\n"
        "assert all(f.cache_info().currsize == 0 for f in caches), [f.cache_info() for f in caches]\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)
