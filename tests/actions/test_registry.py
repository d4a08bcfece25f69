"""The action server serves exactly the custom actions the domain names, each once."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import yaml
from rasa_sdk import Action
from rasa_sdk.executor import ActionExecutor

import actions

ROOT = Path(__file__).resolve().parents[2]


def custom_action_classes():
    classes = set()
    for module_info in pkgutil.iter_modules(actions.__path__, "actions."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Action) and cls.__module__ == module.__name__ and not inspect.isabstract(cls):
                if cls.__name__.startswith("_"):
                    continue
                classes.add(cls)
    return classes


def test_no_two_action_classes_share_a_name():
    names = [cls().name() for cls in custom_action_classes()]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates


def test_action_server_serves_every_domain_action_and_no_other():
    executor = ActionExecutor()
    executor.register_package("actions")
    domain_actions = set(yaml.safe_load((ROOT / "domain.yml").read_text())["actions"])
    assert set(executor.actions) == domain_actions
