"""The direct policy runner predicts exactly what Rasa's graph runner predicts.

Seeded random conversations (the fuzzer's choices: buttons offered, short replies,
questions, red flags, odd input) run through the trained model in-process with the
product's message processor and the real action server; at every prediction the
runner's result is compared with Rasa's graph (all policies, Rasa's ensemble): same
action, policy, confidences and events.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys

import pytest

from bot.runtime.launch import free_port, product_env, wait_for_http
from bot.settings import REPO_ROOT, get_settings
from scripts.fuzz import choose, load_pools
from tests.conftest import MODEL

pytestmark = pytest.mark.e2e


def untimed(events):
    return [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in events]


def same(a, b):
    return (
        a.policy_name == b.policy_name
        and list(a.probabilities) == list(b.probabilities)
        and untimed(a.events) == untimed(b.events)
        and untimed(a.optional_events) == untimed(b.optional_events)
        and a.is_no_user_prediction == b.is_no_user_prediction
        and a.is_end_to_end_prediction == b.is_end_to_end_prediction
    )


@pytest.fixture(scope="module")
def action_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prediction")
    port = free_port()
    env = product_env(
        get_settings(),
        {"BACKCARE_DATABASE_URL": f"sqlite:///{folder / 't.db'}", "ACTION_PORT": str(port)},
    )
    with (folder / "actions.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "actions"], cwd=REPO_ROOT, env=env, stdout=log, stderr=log
        )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/health", 120, process)
        yield f"http://127.0.0.1:{port}/webhook", env["BACKCARE_ACTION_TOKEN"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_direct_predictions_equal_the_graph_runners(action_server):
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    from bot.channels.turn import TurnCollector
    from bot.runtime.server import install_runtime_fixes

    install_runtime_fixes()
    url, token = action_server
    agent = Agent.load(str(MODEL), action_endpoint=EndpointConfig(url, token=token))
    processor = agent.processor
    runner = processor.policy_runner
    assert runner is not None
    compared, differences = [], []

    def checked(tracker):
        if tracker.followup_action:
            return MessageProcessor._predict_next_with_tracker(processor, tracker)
        direct = runner.predict(tracker)
        graph = MessageProcessor._predict_next_with_tracker(processor, tracker)
        compared.append(direct.policy_name)
        if not same(direct, graph):
            differences.append((tracker.sender_id, direct.policy_name, graph.policy_name))
        return direct

    processor._predict_next_with_tracker = checked
    rng = random.Random(7)
    pools = load_pools()

    async def conversations():
        for n in range(12):
            offered: list[dict] = []
            for _ in range(10):
                text, _, _ = choose(rng, offered, pools)
                collector = TurnCollector()
                await agent.handle_message(UserMessage(text, collector, f"p-{n}", input_channel="rest"))
                offered = [b for m in collector.messages for b in m.get("buttons") or []]
        await processor.action_endpoint.session().close()

    asyncio.run(conversations())
    assert differences == []
    assert len(compared) > 200
    assert runner.skipped > 0  # some predictions were settled before every policy ran
