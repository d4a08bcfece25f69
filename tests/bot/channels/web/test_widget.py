import pytest

from bot.channels.web.widget import STATIC_DIR, static_path, widget_strings
from bot.channels.words import channel_words

WORDS = channel_words()


def test_widget_strings_fill_the_emergency_number():
    data = widget_strings(WORDS, "112")
    assert "112" in data["emergency_line"]
    assert "{emergency_number}" not in str(data)
    assert data["strings"]["send"] == WORDS.web["send"]


def test_the_static_files_and_vendored_licences_are_there():
    for name in ("index.html", "widget.js", "widget.css"):
        assert (STATIC_DIR / name).is_file()
    for vendor in ("socket.io-client", "rasa-webchat"):
        assert (STATIC_DIR / "vendor" / vendor / "LICENSE").is_file()


def test_the_widget_never_writes_html_from_messages():
    source = (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("widget.js", True),
        ("vendor/socket.io-client/socket.io.min.js", True),
        ("", False),
        ("vendor", False),
        ("../channel.py", False),
        ("../../content/ui.yml", False),
        ("nope.js", False),
    ],
)
def test_only_widget_files_are_served(name, found):
    assert (static_path(name) is not None) is found
