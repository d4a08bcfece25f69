"""The names the safety plan speaks in: responses, intents, holds and tiers.

Every name here is a domain response, intent or action; the plan
(:mod:`bot.policies.safety_plan`), the policy, the NLU component and the runtime read
them from here so that a renamed response is changed in one place::

    from bot.policies.safety_names import UTTER_EMERGENCY, HOLD_EMERGENCY
"""

from __future__ import annotations

ACTION_LISTEN = "action_listen"
ACTION_DEACTIVATE_LOOP = "action_deactivate_loop"
SCREEN_QUESTION_PREFIX = "utter_ask_screen_"
# The clarifying question for a sign that suggests a red flag: utter_ask_safety_<ask id>.
ASK_QUESTION_PREFIX = "utter_ask_safety_"
ASK_KEY_PREFIX = "ask:"
UTTER_ASK_NO = "utter_ask_safety_no"
# A symptom-check question answered with something else: ask for yes or no, then again.
UTTER_SCREEN_YES_NO = "utter_screen_answer_yes_no"
# Intents that may leave a symptom check without answering it.
LEAVE_CHECK_INTENTS = frozenset(
    {"cancel", "show_menu", "goodbye", "request_human", "affirm", "deny"}
)

UTTER_EMERGENCY = "utter_urgent_care_emergency"
UTTER_CRISIS = "utter_urgent_care_crisis"
UTTER_SAME_DAY = "utter_urgent_care_same_day"
UTTER_SOON = "utter_urgent_care_soon"
# The emergency hold: "are you getting help?", the repeat, and the release.
UTTER_CHECK = "utter_urgent_care_check"
# Added after the urgent-care message when it is about a relative, told as happening now.
UTTER_SOMEONE_ELSE = "utter_urgent_care_someone_else"
UTTER_HOLD = "utter_urgent_care_hold"
UTTER_CONFIRMED = "utter_urgent_care_confirmed"
# The crisis hold: "are you safe right now?" and the replies to each kind of answer.
UTTER_CRISIS_CHECK = "utter_crisis_check"
UTTER_CRISIS_SAFE = "utter_crisis_safe"
UTTER_CRISIS_NOT_SAFE = "utter_crisis_not_safe"
UTTER_CRISIS_DECLINED = "utter_crisis_declined"
UTTER_CRISIS_ASK_AGAIN = "utter_crisis_ask_again"
# Later replies in a hold: said differently, never the same words over and over.
UTTER_HOLD_DECLINED = "utter_urgent_care_hold_declined"
UTTER_HOLD_AGAIN = "utter_urgent_care_hold_again"
UTTER_CORRECTED = "utter_urgent_care_corrected"
UTTER_CRISIS_STAY = "utter_crisis_stay"
UTTER_CRISIS_DECLINED_NOT_SAFE = "utter_crisis_declined_not_safe"
UTTER_NOTHING_TO_CANCEL = "utter_nothing_to_cancel"
# Every reply a held conversation can get: a hold counts them to vary what it says.
HOLD_REPLIES = frozenset(
    {
        "utter_urgent_care_hold", UTTER_HOLD_DECLINED, UTTER_HOLD_AGAIN,
        "utter_crisis_not_safe", "utter_crisis_declined", "utter_crisis_ask_again",
        UTTER_CRISIS_STAY, UTTER_CRISIS_DECLINED_NOT_SAFE,
    }
)  # fmt: skip
# Offered after a red flag interrupted a form, once nothing is held.
UTTER_RESUME_OFFER = "utter_resume_offer"
UTTER_NOTHING_TO_RESUME = "utter_nothing_to_resume"

RESUME_INTENT = "resume"
CANCEL_INTENT = "cancel"
# "I answered by mistake", "wrong button": a way out of a hold raised by a misclick.
CORRECTION_INTENT = "correct_answer"
UTTER_CANCELLED = "utter_cancelled"
DECLINE_INTENT = "decline_help"
DENY_INTENT = "deny"
FALLBACK_INTENT = "nlu_fallback"

HOLD_EMERGENCY = "emergency"
HOLD_CRISIS = "crisis"

TIER_ORDER = {"none": 0, "soon": 1, "urgent": 2, "emergency": 3}
# Used when the classifier alone predicts a red-flag intent without a detector finding.
INTENT_TIERS = {
    "red_flag_emergency": "emergency",
    "red_flag_crisis": "emergency",
    "red_flag_urgent": "urgent",
    "red_flag_soon": "soon",
}
INTENT_RESPONSES = {
    "red_flag_emergency": UTTER_EMERGENCY,
    "red_flag_crisis": UTTER_CRISIS,
    "red_flag_urgent": UTTER_SAME_DAY,
    "red_flag_soon": UTTER_SOON,
}
TIER_RESPONSES = {"emergency": UTTER_EMERGENCY, "urgent": UTTER_SAME_DAY, "soon": UTTER_SOON}
# Responses after which the conversation is held, and which hold each starts.
HOLDING_RESPONSES = {UTTER_EMERGENCY: HOLD_EMERGENCY, UTTER_CRISIS: HOLD_CRISIS}
