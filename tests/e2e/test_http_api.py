"""The Rasa HTTP API is on only with a token, and then it requires the token."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.conftest import API_TOKEN, conversation_of, post_json

pytestmark = pytest.mark.e2e


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_tracker_endpoint_refuses_a_request_without_the_token(stack, rest_say, sender):
    rest_say(sender, "hello")
    url = f"{stack.rasa_url}/conversations/{conversation_of(sender)}/tracker"
    assert get_status(url) == 401
    assert get_status(f"{url}?token=wrong") == 401
    assert get_status(f"{url}?token={API_TOKEN}") == 200


def test_model_parse_shows_red_flag_entities_with_tier_roles(stack):
    parsed = post_json(
        f"{stack.rasa_url}/model/parse?token={API_TOKEN}",
        {"text": "I've had a fever for 3 days and I cant feel my bum"},
    )
    assert parsed["intent"]["name"] == "red_flag_emergency"
    flags = {(e["value"], e["role"]) for e in parsed["entities"] if e["entity"] == "red_flag"}
    assert ("cauda_equina_saddle", "emergency") in flags
    assert ("fever_infection", "urgent") in flags
    print(json.dumps(parsed["entities"]))
