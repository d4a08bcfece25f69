"""The base class of the action server's actions: a domain name and a reply.

A feature's action gives its name in the class statement (the ``action_<verb>_<noun>``
name the domain lists) and writes :meth:`ReplyAction.reply`, which sends messages
and returns the events to apply::

    class ActionShowMenu(ReplyAction, action="action_show_menu"):
        \"\"\"Show the main options.\"\"\"

        def reply(self, dispatcher, tracker):
            send(dispatcher, menu_message(get_store()))
            return []
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ReplyAction(Action, ABC):
    """An action that replies to the patient's latest message.

    Abstract, so that the action server registers only the concrete actions.
    """

    action_name: ClassVar[str] = ""

    def __init_subclass__(cls, action: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if action:
            cls.action_name = action

    def name(self) -> str:
        """Return the action's name in the domain."""
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reply; return the events to apply."""
        return self.reply(dispatcher, tracker)

    @abstractmethod
    def reply(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Send the reply to the patient's latest message; return the events to apply."""
