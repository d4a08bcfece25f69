"""Run the Rasa server with the product's runtime fixes (``python -m bot.runtime.server run ...``).

The launcher (:mod:`bot.runtime.launch`) starts the Rasa server through this module instead of
``python -m rasa`` so that the fixes below are in place before the server loads:

- Rasa's message processor is replaced by
  :class:`bot.runtime.processor.SafeMessageProcessor`: every turn is answered and ends
  with a listen, and a red flag gets its urgent-care reply whatever the policies did.
- Every log line has phone numbers masked (:mod:`bot.runtime.log_privacy`).
- Rasa 3.6 checks every action-server response against its JSON schema with
  ``jsonschema.validate``, which first re-validates the (large) schema itself on every
  call. Profiling the server under load showed this took 38% of its CPU. The schema
  never changes, so the validator is built once; responses are still validated and an
  invalid one still raises ``ValidationError``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction


@lru_cache(maxsize=1)
def _action_response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """Validate an action-server reply; raise ``ValidationError`` if it is invalid."""
    _action_response_validator().validate(result)
    return True


def install_runtime_fixes() -> None:
    """Apply the fixes described in the module docstring (idempotent)."""
    import rasa.core.agent

    from bot.runtime.log_privacy import install_log_privacy
    from bot.runtime.processor import SafeMessageProcessor

    install_log_privacy()

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    rasa.core.agent.MessageProcessor = SafeMessageProcessor  # type: ignore[misc]


def main() -> None:
    """Apply the fixes, then run Rasa's command line with this process's arguments."""
    install_runtime_fixes()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
