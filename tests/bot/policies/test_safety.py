"""How the safety policy reads a conversation: a clinician's message changes who is asked."""

from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, UserUttered

from bot.channels.care_team import care_team_metadata
from bot.policies.safety import turn_view_at
from bot.policies.safety_plan import find_trigger
from tests.bot.policies.test_safety_plan import FLAGS

SCREEN = "utter_ask_screen_cauda_equina_bladder"


def yes() -> UserUttered:
    return UserUttered("yes", intent={"name": "affirm", "confidence": 0.99})


def test_a_yes_answers_the_symptom_check():
    events = [ActionExecuted(SCREEN), ActionExecuted("action_listen"), yes()]
    view = turn_view_at(events, 2)
    assert view.asked_before_message == SCREEN
    assert find_trigger(view, FLAGS) is not None


def test_after_a_clinicians_message_a_yes_answers_the_clinician():
    events = [
        ActionExecuted(SCREEN),
        ActionExecuted("action_listen"),
        ConversationPaused(metadata=care_team_metadata("nurse_kim")),
        BotUttered("Hello, it's Kim. Are you at home?", metadata=care_team_metadata("nurse_kim")),
        yes(),
    ]
    view = turn_view_at(events, 4)
    assert view.asked_before_message is None
    assert find_trigger(view, FLAGS) is None
