"""The production profile's wiring: Redis lock store, PostgreSQL tracker store, HAProxy."""

import sys

import pytest
import yaml
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import read_endpoint_config

from bot.runtime.launch import (
    endpoints_for,
    further_servers,
    haproxy_config,
    lock_store_endpoint,
    product_env,
    start_stack,
    tracker_store_env,
)
from bot.settings import REPO_ROOT, load_settings

ENDPOINTS = REPO_ROOT / "endpoints.yml"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/1", {"url": "127.0.0.1", "port": 6379, "db": 1}),
        ("redis://cache", {"url": "cache", "port": 6379, "db": 1}),
        ("redis://cache:6380/0", {"url": "cache", "port": 6380, "db": 0}),
        (
            "rediss://bot:s%40cret@cache:6380/2",
            {"url": "cache", "port": 6380, "db": 2, "username": "bot", "use_ssl": True},
        ),
    ],
)
def test_a_redis_url_becomes_rasas_redis_lock_store(url, expected):
    section = lock_store_endpoint(url)
    assert section["type"] == "redis"
    assert {key: section[key] for key in expected} == expected
    assert section["key_prefix"] == "backcare"


def test_the_lock_store_password_stays_out_of_the_file(tmp_path):
    section = lock_store_endpoint("redis://:s%40cret@cache:6379/1")
    assert section["password"] == "${BACKCARE_LOCK_STORE_PASSWORD}"
    env = product_env(load_settings(), {"BACKCARE_LOCK_STORE_URL": "redis://:s%40cret@cache:6379/1"})
    assert env["BACKCARE_LOCK_STORE_PASSWORD"] == "s@cret"
    written = endpoints_for("redis://:s%40cret@cache:6379/1", ENDPOINTS, tmp_path).read_text()
    assert "s@cret" not in written and "cret" not in written


@pytest.mark.parametrize("url", ["http://cache:6379", "redis://", "cache:6379"])
def test_a_lock_store_url_that_is_not_redis_fails_fast(url):
    with pytest.raises(ValueError, match="BACKCARE_LOCK_STORE_URL"):
        lock_store_endpoint(url)


def test_one_server_keeps_the_endpoints_and_rasas_in_memory_lock_store(tmp_path, monkeypatch):
    for name in ("ACTION_PORT", "BACKCARE_ACTION_TOKEN", "BACKCARE_DATABASE_URL", "BACKCARE_TS_DIALECT"):
        monkeypatch.setenv(name, "x")
    assert endpoints_for("", ENDPOINTS, tmp_path) == ENDPOINTS
    assert isinstance(LockStore.create(read_endpoint_config(str(ENDPOINTS), "lock_store")), InMemoryLockStore)


def test_rasa_reads_the_scaled_endpoints_as_a_redis_lock_store_and_the_postgres_tracker_store(
    tmp_path, monkeypatch
):
    database_url = "postgresql://backcare:pw@db:5432/backcare"
    for name, value in tracker_store_env(database_url).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("ACTION_PORT", "5055")
    monkeypatch.setenv("BACKCARE_ACTION_TOKEN", "t")
    scaled = endpoints_for("redis://cache:6380/3", ENDPOINTS, tmp_path)
    lock_store = LockStore.create(read_endpoint_config(str(scaled), "lock_store"))
    assert isinstance(lock_store, RedisLockStore)  # redis-py connects on first use
    connection = lock_store.red.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("cache", 6380, 3)
    tracker_store = read_endpoint_config(str(scaled), "tracker_store")
    assert tracker_store.url == database_url
    assert tracker_store.kwargs["dialect"] == "postgresql"
    assert yaml.safe_load(scaled.read_text())["action_endpoint"]["url"].endswith("${ACTION_PORT}/webhook")


def test_several_servers_without_a_lock_store_refuse_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKCARE_LOCK_STORE_URL", raising=False)
    with pytest.raises(ValueError, match="lock store"):
        start_stack(tmp_path / "model", 1, 2, tmp_path, servers=[(3, 4)], with_actions=False)


def test_the_balancer_is_sticky_for_socketio_and_round_robin_for_webhooks():
    config = haproxy_config([5005, 5007], 5080)
    assert "bind 127.0.0.1:5080" in config
    assert "acl socketio path_beg /socket.io/" in config
    sticky = config.split("\nbackend rasa_sticky\n")[1]
    plain = config.split("\nbackend rasa\n")[1].split("\nbackend rasa_sticky\n")[0]
    assert "cookie BACKCARE_SERVER insert" in sticky and "balance source" in sticky
    assert "balance roundrobin" in plain and "cookie" not in plain
    for part in (sticky, plain):
        assert "server rasa1 127.0.0.1:5005" in part and "server rasa2 127.0.0.1:5007" in part


def test_further_servers_keep_clear_of_the_health_and_console_ports(monkeypatch):
    monkeypatch.setenv("BACKCARE_RASA_SERVERS", "3")
    assert further_servers(load_settings()) == [(5016, 5056), (5017, 5057)]
    monkeypatch.setenv("BACKCARE_HEALTH_PORT", "5016")
    with pytest.raises(ValueError, match="clash"):
        further_servers(load_settings())
    monkeypatch.setenv("BACKCARE_RASA_SERVERS", "1")
    assert further_servers(load_settings()) == []


def test_the_balancer_is_stopped_with_sigterm_as_haproxy_ignores_sigint(tmp_path):
    import signal

    from bot.runtime.launch import Part, Stack

    stack = Stack(rasa_port=1, action_port=2, env={})
    script = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)"
    stack.start_part(Part("balancer", [sys.executable, "-c", script], tmp_path / "b.log", stop_signal=signal.SIGTERM))
    stack.stop(timeout=10)
    assert not stack.parts
