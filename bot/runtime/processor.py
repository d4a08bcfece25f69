"""Rasa's message processor with a turn that always ends well.

:func:`bot.runtime.server.install_runtime_fixes` makes Rasa's agent build
:class:`SafeMessageProcessor` instead of its own processor. Each patient message then
goes through the same steps as in Rasa, with four guarantees added:

1. **The message is read even if the NLU fails, and a long one in bounded time.** An
   exception while parsing is logged and the message is read again with its text made
   safe (lone surrogates, control and format characters removed); if that fails too it
   becomes ``nlu_fallback``. A message over ``BACKCARE_MAX_MESSAGE_CHARS`` is read for
   red flags in full, the rest of the NLU reads its first part, and the patient is told
   (``utter_message_cut``). A conversation over its message rate limit
   (:mod:`bot.runtime.rate_limit`) is asked to slow down, unless the message is a red
   flag.
2. **Risk told over several messages is seen**: when a message has no red flag of its
   own, the detector reads it with the session's last few messages
   (:meth:`RedFlagDetector.detect_conversation`), so "been having accidents" then
   "with my bladder I mean" escalates on the turn it becomes clear. **A short yes or no
   answers the offer just made** (:mod:`bot.runtime.offers`).
3. **No action runs twice in one turn.** The fallback action
   (``action_suggest_topics``, which takes the message back) always ends its turn. A
   policy that predicts any other action already run since the message would start a
   loop (the cause of Rasa's "circuit breaker"); the turn ends with a listen instead,
   and a warning is logged.
4. **The last line of defence.** After the dialogue policies are done, whatever they
   did (a loop, an exception, a form that took the message as an answer), the turn is
   checked: a red flag or a held conversation gets its urgent-care steps
   (:func:`bot.policies.safety_plan.missing_steps`), a turn with no reply at all gets
   the static ``utter_turn_fallback``, and the turn always ends with a listen, so the
   next message is answered. None of this needs the action server: the responses are
   static domain responses, and the care-team alert is written by the tracker store.
5. **A clinician's takeover keeps the safety path.** While the console has paused the
   conversation (Rasa's ``pause`` event), Rasa's policies do not run, but every
   message is still read by the NLU and the red-flag detector, stored, and alerted by
   the tracker store; the last line of defence sends the urgent-care reply of a red
   flag (or the clarifying question of a possible one) and nothing else
   (:func:`bot.policies.safety_plan.paused_steps`): no fallback, no "please slow
   down", no note that a long message was cut. A pause outlives a new session: when
   the session expires during a takeover, the new session starts paused.

It also does less work per turn than Rasa's, with the same outcome: the policies run
one by one and stop once the rest cannot change the choice
(:mod:`bot.runtime.prediction`), an action that only reads the tracker (a response, a
call to the action server, listening) runs without Rasa's copy of it, and the
connections to the action server stay open (:mod:`bot.runtime.action_client`).
"""

from __future__ import annotations

import logging
import unicodedata
from functools import cached_property
from typing import Any

from rasa.core.actions.action import (
    Action,
    ActionBotResponse,
    ActionListen,
    RemoteAction,
    action_for_name_or_text,
)
from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.nlg import NaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationPaused, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT

from bot.channels.guard import without_surrogates
from bot.nlu.red_flag_logic import (
    ABOUT_ENTITY,
    ASK_ENTITY,
    DetectorVerdict,
    apply_verdict,
    config_entities,
)
from bot.policies.safety import latest_user_index, turn_view
from bot.policies.safety_names import ACTION_DEACTIVATE_LOOP
from bot.policies.safety_plan import (
    FlagInfo,
    find_trigger,
    load_flag_infos,
    missing_steps,
    paused_steps,
)
from bot.runtime.action_client import keep_connections_open
from bot.runtime.history import (
    COMMAND_PREFIXES,
    CUT_MARK,
    last_action_run,
    last_buttons,
    last_message_was_cut,
    recent_patient_texts,
)
from bot.runtime.offers import emoji_word, offered_payload
from bot.runtime.prediction import PolicyRunner
from bot.runtime.rate_limit import RateLimiter
from bot.runtime.tracker_store import CATALOGUE
from bot.safety import RedFlagDetector
from bot.settings import get_settings

logger = logging.getLogger(__name__)

NET_POLICY = "SafetyNet"
LOOP_GUARD_POLICY = "LoopGuard"
TURN_END_POLICY = "TurnEnd"
UTTER_TURN_FALLBACK = "utter_turn_fallback"
UTTER_MESSAGE_CUT = "utter_message_cut"
UTTER_SLOW_DOWN = "utter_slow_down"
# Responses only this module sends (no rule or story does): see scripts/validate_data.py.
RUNTIME_ONLY_RESPONSES = (UTTER_TURN_FALLBACK, UTTER_MESSAGE_CUT, UTTER_SLOW_DOWN)
# The intent logged for a message not read because its conversation sent too many.
RATE_LIMITED_INTENT = "nlu_fallback"
SAFETY_ENTITIES = frozenset({"red_flag", ASK_ENTITY, ABOUT_ENTITY})
FALLBACK_INTENT = "nlu_fallback"
# Actions that only read the tracker they run with (a response, the action server's
# request, listening): Rasa's copy of the tracker for them, which replays the whole
# session, is not needed. Exact classes: a subclass may do more.
READ_ONLY_ACTIONS = frozenset({ActionBotResponse, ActionListen, RemoteAction})
# Actions after which the turn always ends: the fallback takes the message back, so the
# policies would see the previous turn again and might predict the fallback once more.
TURN_ENDING_ACTIONS = frozenset({"action_suggest_topics"})


def safe_text(text: str) -> str:
    """Return ``text`` without lone surrogates, NUL, control or invisible format characters."""
    cleaned = text.encode("utf-8", errors="replace").decode("utf-8", errors="replace")
    kept = [
        ch
        for ch in cleaned
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ]
    return "".join(kept)


class SafeMessageProcessor(MessageProcessor):
    """Rasa's processor with the guarantees in the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.action_endpoint is not None:
            keep_connections_open(self.action_endpoint)

    @cached_property
    def flags(self) -> dict[str, FlagInfo]:
        """Return the red-flag catalogue's tiers and responses, read on first use."""
        return load_flag_infos(CATALOGUE)

    async def handle_message(self, message: UserMessage) -> list[dict[str, Any]] | None:
        """Handle one patient message; see the module docstring for what is added."""
        if message.text:
            # Lone surrogates cannot be stored; every channel should have removed them.
            message.text = without_surrogates(message.text)
        tracker = await self.fetch_tracker_and_update_session(
            message.sender_id, message.output_channel, message.metadata
        )
        if not self.rate_limiter.allow(message.sender_id) and not self._is_red_flag(message):
            return await self._slow_down(message, tracker)
        await self._log_user_message(message, tracker)
        try:
            tracker = await self.run_action_extract_slots(message.output_channel, tracker)
            await self._run_prediction_loop(message.output_channel, tracker)
        except Exception:
            logger.exception("the dialogue failed for this turn; finishing it safely")
        await self.finish_turn(tracker, message.output_channel)
        await self.run_anonymization_pipeline(tracker)
        await self.save_tracker(tracker)
        if isinstance(message.output_channel, CollectingOutputChannel):
            return list(message.output_channel.messages)
        return None

    async def _update_tracker_session(
        self,
        tracker: DialogueStateTracker,
        output_channel: OutputChannel,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        """Start a new session as Rasa does, but keep a clinician's pause across it.

        Rasa's ``session_started`` event un-pauses the tracker: without this, a patient
        who wrote again an hour into a takeover would get the assistant back while the
        console still showed the conversation as held.
        """
        pause = self._latest_pause(tracker) if tracker.is_paused() else None
        await super()._update_tracker_session(tracker, output_channel, metadata)
        if pause is not None and not tracker.is_paused():
            # Who took over stays on record for the console.
            tracker.update(ConversationPaused(metadata=dict(pause.metadata or {})))

    @staticmethod
    def _latest_pause(tracker: DialogueStateTracker) -> ConversationPaused:
        for event in reversed(tracker.events):
            if isinstance(event, ConversationPaused):
                return event
        return ConversationPaused()

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        """Return the per-conversation message limiter, made on first use."""
        settings = get_settings()
        return RateLimiter(settings.rate_limit_messages, settings.rate_limit_seconds)

    def _is_red_flag(self, message: UserMessage) -> bool:
        """Return whether the detector finds a red flag or a question in the message."""
        try:
            assessment = self.detector.detect(message.text or "")
        except Exception:
            logger.exception("the red-flag check failed on a rate-limited message")
            return True  # read it normally: safety before load
        return bool(assessment.findings or assessment.ask)

    async def _slow_down(
        self, message: UserMessage, tracker: DialogueStateTracker
    ) -> list[dict[str, Any]] | None:
        """Log the message unread and ask the patient to slow down."""
        logger.warning("rate limit: %s is sending too fast", message.sender_id[:8])
        tracker.update(
            UserUttered(
                message.text,
                {INTENT_NAME_KEY: RATE_LIMITED_INTENT, "confidence": 1.0},
                config_entities(get_settings()),
                input_channel=message.input_channel,
                message_id=message.message_id,
                metadata=message.metadata,
            ),
            self.domain,
        )
        if not tracker.is_paused():  # a clinician holding the conversation reads it all
            await self._run_net_action(UTTER_SLOW_DOWN, tracker, message.output_channel)
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME, policy=NET_POLICY))
        await self.save_tracker(tracker)
        if isinstance(message.output_channel, CollectingOutputChannel):
            return list(message.output_channel.messages)
        return None

    async def _log_user_message(self, message: UserMessage, tracker: DialogueStateTracker) -> None:
        """Parse the message (never failing) and log it on the tracker."""
        parse_data = await self._parse_safely(message, tracker)
        parse_data = self._with_conversation(message.text or "", parse_data, tracker)
        parse_data = await self._answer_offer(message, parse_data, tracker)
        # Button payloads ("/greet") skip the NLU pipeline, and with it the entities
        # that carry the help numbers into the static responses: add them here.
        present = {e.get("entity") for e in parse_data.get(ENTITIES) or []}
        parse_data[ENTITIES] = [
            *(parse_data.get(ENTITIES) or []),
            *(e for e in config_entities(get_settings()) if e["entity"] not in present),
        ]
        tracker.update(
            UserUttered(
                message.text,
                parse_data[INTENT],
                parse_data[ENTITIES],
                parse_data,
                input_channel=message.input_channel,
                message_id=message.message_id,
                metadata=message.metadata,
            ),
            self.domain,
        )

    async def _parse_safely(
        self, message: UserMessage, tracker: DialogueStateTracker
    ) -> dict[str, Any]:
        if message.parse_data:
            return dict(message.parse_data)
        limit = get_settings().max_message_chars
        if len(message.text or "") > limit:
            return await self._parse_long(message, tracker, limit)
        word = emoji_word(message.text or "")
        if word is not None:
            as_word = UserMessage(word, message.output_channel, message.sender_id)
            parse_data = dict(await self.parse_message(as_word, tracker))
            parse_data[TEXT] = message.text
            return parse_data
        try:
            return dict(await self.parse_message(message, tracker))
        except Exception:
            logger.exception("the NLU failed on a message; reading it again made safe")
        retry = UserMessage(
            safe_text(message.text or ""),
            message.output_channel,
            message.sender_id,
            input_channel=message.input_channel,
            message_id=message.message_id,
        )
        try:
            parse_data = dict(await self.parse_message(retry, tracker))
            parse_data[TEXT] = message.text
            return parse_data
        except Exception:
            logger.exception("the NLU failed on the made-safe message too")
        return {
            TEXT: message.text,
            INTENT: {INTENT_NAME_KEY: FALLBACK_INTENT, "confidence": 1.0},
            "intent_ranking": [],
            ENTITIES: config_entities(get_settings()),
        }

    async def _parse_long(
        self, message: UserMessage, tracker: DialogueStateTracker, limit: int
    ) -> dict[str, Any]:
        """Read the first ``limit`` characters with the NLU and the whole text for red flags.

        The NLU's cost grows fast with length (a 16,000-character message took 730 MB);
        the red-flag detector's does not, so it reads everything the patient wrote.
        """
        text = message.text or ""
        head = UserMessage(
            text[:limit],
            message.output_channel,
            message.sender_id,
            input_channel=message.input_channel,
            message_id=message.message_id,
        )
        parse_data = await self._parse_safely(head, tracker)
        try:
            verdict = DetectorVerdict.from_assessment(self.detector.detect(text))
        except Exception:
            logger.exception("the red-flag check failed on a long message")
        else:
            intent, ranking, entities = apply_verdict(
                text=text,
                verdict=verdict,
                intent=parse_data.get(INTENT) or {},
                ranking=parse_data.get("intent_ranking") or [],
                entities=parse_data.get(ENTITIES) or [],
                classifier_threshold=1.01,
            )
            parse_data.update({INTENT: intent, "intent_ranking": ranking, ENTITIES: entities})
        parse_data[TEXT] = text
        parse_data[CUT_MARK] = True
        logger.info("a message of %d characters was read in part by the NLU", len(text))
        return parse_data

    def _with_conversation(
        self, text: str, parse_data: dict[str, Any], tracker: DialogueStateTracker
    ) -> dict[str, Any]:
        """Add what the last few messages together reveal, if this one shows nothing."""
        if any(e.get("entity") in SAFETY_ENTITIES for e in parse_data.get(ENTITIES) or []):
            return parse_data
        texts = [*recent_patient_texts(tracker), text]
        if len(texts) < 2 or text.startswith(COMMAND_PREFIXES):
            return parse_data
        try:
            assessment = self.detector.detect_conversation(texts)
        except Exception:
            logger.exception("the red-flag check across messages failed")
            return parse_data
        if not assessment.findings and not assessment.ask:
            return parse_data
        intent, ranking, entities = apply_verdict(
            text=text,
            verdict=DetectorVerdict.from_assessment(assessment),
            intent=parse_data.get(INTENT) or {},
            ranking=parse_data.get("intent_ranking") or [],
            entities=parse_data.get(ENTITIES) or [],
            classifier_threshold=1.01,
        )
        logger.info("red-flag check across messages: %s", assessment.tier.value)
        return {**parse_data, INTENT: intent, "intent_ranking": ranking, ENTITIES: entities}

    @cached_property
    def detector(self) -> RedFlagDetector:
        """Return a red-flag detector for long messages, built on first use."""
        return RedFlagDetector.from_catalogue()

    async def _answer_offer(
        self, message: UserMessage, parse_data: dict[str, Any], tracker: DialogueStateTracker
    ) -> dict[str, Any]:
        intent = (parse_data.get(INTENT) or {}).get(INTENT_NAME_KEY)
        if any(e.get("entity") == "red_flag" for e in parse_data.get(ENTITIES) or []):
            return parse_data
        payload = offered_payload(message.text or "", intent, last_buttons(tracker))
        if payload is None:
            return parse_data
        chosen = dict(
            await self.parse_message(
                UserMessage(payload, message.output_channel, message.sender_id), tracker
            )
        )
        chosen[TEXT] = message.text
        logger.debug("a short reply was read as the offered %s", payload)
        return chosen

    def predict_next_with_tracker_if_should(
        self, tracker: DialogueStateTracker
    ) -> tuple[Action, PolicyPrediction]:
        """Predict as Rasa does, but never run one action twice in a turn (listen instead)."""
        if last_action_run(tracker) in TURN_ENDING_ACTIONS:
            return self._listen(TURN_END_POLICY)
        action, prediction = super().predict_next_with_tracker_if_should(tracker)
        name = action.name()
        if name != ACTION_LISTEN_NAME and name in self._actions_this_turn(tracker):
            logger.warning(
                "loop guard: %s was predicted twice in one turn for %s; listening instead",
                name,
                tracker.sender_id[:8],
            )
            return self._listen(LOOP_GUARD_POLICY)
        return action, prediction

    @cached_property
    def policy_runner(self) -> PolicyRunner | None:
        """Return the direct policy runner for this model, if its graph allows one."""
        runner = PolicyRunner.from_graph(self.model_metadata, self.graph_runner)
        if runner is None:
            logger.info("the policies run through Rasa's graph runner")
        return runner

    def _predict_next_with_tracker(self, tracker: DialogueStateTracker) -> PolicyPrediction:
        """Predict as Rasa does, running only the policies that can change the outcome."""
        runner = self.policy_runner
        if tracker.followup_action or runner is None:
            return super()._predict_next_with_tracker(tracker)
        return runner.predict(tracker)

    def _listen(self, policy: str) -> tuple[Action, PolicyPrediction]:
        listen = action_for_name_or_text(ACTION_LISTEN_NAME, self.domain, self.action_endpoint)
        return listen, PolicyPrediction.for_action_name(self.domain, ACTION_LISTEN_NAME, policy)

    @staticmethod
    def _actions_this_turn(tracker: DialogueStateTracker) -> set[str]:
        events = list(tracker.events)
        start = latest_user_index(events)
        return {
            event.action_name
            for event in events[start + 1 :]
            if isinstance(event, ActionExecuted) and event.action_name
        }

    async def finish_turn(self, tracker: DialogueStateTracker, channel: OutputChannel) -> None:
        """Run the last line of defence described in the module docstring."""
        try:
            view = turn_view(tracker)
            paused = tracker.is_paused()
            steps = list(
                paused_steps(view, self.flags) if paused else missing_steps(view, self.flags)
            )
            trigger = find_trigger(view, self.flags)
            if steps and trigger is not None and tracker.active_loop_name:
                steps.insert(0, ACTION_DEACTIVATE_LOOP)
            if steps:
                logger.warning(
                    "safety net: the dialogue missed %s for %s; sending them",
                    ",".join(steps),
                    tracker.sender_id[:8],
                )
            for step in steps:
                await self._run_net_action(step, tracker, channel)
            # The urgent-care question stays the last thing an urgent turn shows.
            urgent = trigger is not None or view.hold is not None
            if last_message_was_cut(tracker) and not urgent and not paused:
                await self._run_net_action(UTTER_MESSAGE_CUT, tracker, channel)
            if not paused and not self._bot_spoke_this_turn(tracker):
                logger.warning(
                    "no reply in this turn for %s; sending the fallback", tracker.sender_id[:8]
                )
                await self._run_net_action(UTTER_TURN_FALLBACK, tracker, channel)
        except Exception:
            logger.exception("the safety net failed for this turn")
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME, policy=NET_POLICY))

    async def _run_action(
        self,
        action: Action,
        tracker: DialogueStateTracker,
        output_channel: OutputChannel,
        nlg: NaturalLanguageGenerator,
        prediction: PolicyPrediction,
    ) -> bool:
        """Run an action as Rasa does, without copying the tracker for a read-only one.

        Rasa runs every action on a copy of the tracker with the prediction's events
        applied, so that they can be dropped if the action is rejected. With no such
        events and an action that only reads the tracker, the copy is the tracker.
        """
        if prediction.events or type(action) not in READ_ONLY_ACTIONS:
            return bool(await super()._run_action(action, tracker, output_channel, nlg, prediction))

        def copy_once() -> DialogueStateTracker:
            del tracker.copy  # type: ignore[method-assign]
            return tracker

        tracker.copy = copy_once  # type: ignore[method-assign]
        try:
            return bool(await super()._run_action(action, tracker, output_channel, nlg, prediction))
        finally:
            tracker.__dict__.pop("copy", None)

    async def _run_net_action(
        self, name: str, tracker: DialogueStateTracker, channel: OutputChannel
    ) -> None:
        action = action_for_name_or_text(name, self.domain, self.action_endpoint)
        prediction = PolicyPrediction.for_action_name(self.domain, name, NET_POLICY)
        await self._run_action(action, tracker, channel, self.nlg, prediction)

    @staticmethod
    def _bot_spoke_this_turn(tracker: DialogueStateTracker) -> bool:
        for event in reversed(tracker.events):
            if isinstance(event, UserUttered):
                return False
            if isinstance(event, BotUttered):
                return True
        return False
