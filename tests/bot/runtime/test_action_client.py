"""Requests to the action server reuse one open connection, as Rasa's would have worked."""

import asyncio

from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import action_client
from bot.runtime.action_client import keep_connections_open


async def serve(peers):
    async def webhook(request):
        peers.append(request.transport.get_extra_info("peername"))
        assert request.query.get("token") == "secret"
        return web.json_response({"events": [], "echo": (await request.json())["n"]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    return runner, f"http://127.0.0.1:{port}/webhook"


def test_requests_share_one_connection_and_answer_as_before():
    async def scenario():
        peers = []
        runner, url = await serve(peers)
        endpoint = EndpointConfig(url, token="secret")
        kept = keep_connections_open(endpoint)
        try:
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(3)]
        finally:
            await kept.close()
            await runner.cleanup()
        return answers, peers

    answers, peers = asyncio.run(scenario())
    assert [a["echo"] for a in answers] == [0, 1, 2]
    assert len(set(peers)) == 1


def test_an_idle_connection_is_dropped_before_the_server_would(monkeypatch):
    monkeypatch.setattr(action_client, "KEEPALIVE_SECONDS", 0.05)

    async def scenario():
        peers = []
        runner, url = await serve(peers)
        endpoint = EndpointConfig(url, token="secret")
        kept = keep_connections_open(endpoint)
        try:
            await endpoint.request(json={"n": 1}, method="post")
            await asyncio.sleep(0.3)
            answer = await endpoint.request(json={"n": 2}, method="post")
        finally:
            await kept.close()
            await runner.cleanup()
        return answer, peers

    answer, peers = asyncio.run(scenario())
    assert answer["echo"] == 2
    assert len(set(peers)) == 2


def test_a_new_event_loop_gets_a_new_session():
    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")
    kept = keep_connections_open(endpoint)

    async def session():
        return kept.session()

    first = asyncio.run(session())
    second = asyncio.run(session())
    assert first is not second
