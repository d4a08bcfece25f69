import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.runtime.server import _validate_action_result, install_runtime_fixes


@pytest.fixture
def action():
    return RemoteAction("action_explain_topic", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_valid_response_passes(action):
    response = {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hi"}]}
    assert _validate_action_result(action, response) is True


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"events": [{"event": 3}]}])
def test_invalid_response_still_raises(action, response):
    with pytest.raises(ValidationError):
        _validate_action_result(action, response)


def test_install_replaces_the_validation_method(action):
    install_runtime_fixes()
    assert RemoteAction._validate_action_result is _validate_action_result
    with pytest.raises(ValidationError):
        action._validate_action_result({"events": "nope"})
