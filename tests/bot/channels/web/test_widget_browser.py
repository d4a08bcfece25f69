"""The widget in real headless Chromium, against the real channel and a scripted bot.

No trained model is needed (see ``tests/fakes/web_server.py``); the end-to-end version with
the real assistant is ``tests/e2e/test_web_widget.py``.
"""

import contextlib
import os
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.runtime.launch import free_port
from tests.fakes.browser import DESKTOP, PHONE, REPO_ROOT, chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("fake_web") / "server.log"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "tests" / "fakes" / "web_server.py"), str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/webhooks/webchat/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def say(page, text):
    page.get_by_label("Type your message").fill(text)
    page.keyboard.press("Enter")


def test_conversation_formatting_quick_replies_and_history(server, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server)
    expect_emergency_line(page)
    # A new conversation opens with the greeting before the patient types anything.
    page.locator(".bc-msg--bot").first.get_by_text("In an emergency, call 999").wait_for()
    say(page, "hello")
    reply = page.locator(".bc-msg--bot").nth(1)
    reply.wait_for()
    assert reply.locator("strong").inner_text() == "there"
    assert reply.locator("li").all_inner_texts() == ["one", "two"]
    link = reply.get_by_role("link")
    assert link.get_attribute("href") == "https://example.org/a"
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener noreferrer"

    page.get_by_role("group", name="Suggested replies").get_by_role("button", name="Yes").click()
    page.get_by_text("You picked").wait_for()
    assert page.locator(".bc-msg--user").last.inner_text().endswith("Yes")
    assert page.locator(".bc-replies").count() == 0  # answered offers disappear

    root = page.locator("[data-backcare]")
    assert root.get_attribute("data-connection") == "ready"
    session = page.evaluate("window.BackCareWidget.sessionId()")
    page.reload()
    page.get_by_text("You picked").wait_for()
    assert page.evaluate("window.BackCareWidget.sessionId()") == session
    page.evaluate("window.BackCareWidget.reconnect()")
    page.locator("[data-backcare][data-connection=ready]").wait_for()
    assert page.locator(".bc-msg").count() == 5
    assert errors == []
    context.close()


def test_message_text_can_never_become_html(server, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server)
    say(page, "<b>bold?</b> hostile")
    page.locator(".bc-msg--bot").first.wait_for()
    say(page, "hostile")
    page.get_by_text("onerror", exact=False).wait_for()
    assert page.locator(".bc-msg img").count() == 0
    assert page.locator(".bc-msg b").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.evaluate("window.__pwned") is None
    assert "<b>bold?</b>" in page.locator(".bc-msg--user").first.inner_text()
    page.close()


def test_urgent_messages_are_styled_and_announced(server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(server)
    say(page, "I can't feel my legs")
    urgent = page.locator(".bc-msg--urgent")
    urgent.wait_for()
    assert urgent.get_attribute("role") == "alert"
    assert urgent.get_attribute("data-urgency") == "emergency"
    assert "Call 999 now." in urgent.inner_text()
    colour = urgent.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(255, 240, 241)"
    # Not urgent: the question after it.
    assert page.locator(".bc-msg--bot").last.get_attribute("role") is None
    page.reload()
    page.locator(".bc-msg--urgent").wait_for()
    assert page.locator(".bc-msg--urgent").get_attribute("role") is None  # no replayed alarm
    page.close()


def test_embedded_launcher_works_with_the_keyboard_and_fills_a_phone(server, browser):
    host_page = (
        "<!doctype html><html lang=en><head><title>Clinic</title></head><body>"
        "<h1>Example clinic</h1><a href='#'>Clinic link</a>"
        f"<script src='{server}static/widget.js' defer></script></body></html>"
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    # Served from another origin: the widget finds its server from its script address.
    with serve_page(host_page) as clinic:
        page.goto(clinic)
        launcher = page.get_by_role("button", name="Open the BackCare chat")
        launcher.wait_for()
        page.keyboard.press("Tab")  # clinic link
        page.keyboard.press("Tab")  # launcher
        assert page.evaluate("document.activeElement.className") == "bc-launcher"
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name="BackCare")
        dialog.wait_for()
        assert page.evaluate("document.activeElement.id").startswith("bc-input")
        box = dialog.bounding_box()
        assert box == {"x": 0, "y": 0, "width": PHONE["width"], "height": PHONE["height"]}
        page.keyboard.type("hello")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Yes").wait_for()
        page.keyboard.press("Escape")
        assert dialog.is_hidden()
        assert page.evaluate("document.activeElement.className") == "bc-launcher"
        context.close()


def expect_emergency_line(page):
    line = page.locator(".bc-emergency")
    line.wait_for()
    assert "999" in line.inner_text()
    assert line.get_by_role("link").get_attribute("href") == "tel:999"


@contextlib.contextmanager
def serve_page(html):
    """Serve ``html`` at / on another loopback port: a second origin, like a clinic site."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
