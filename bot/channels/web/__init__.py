"""The patients' web chat, by concern.

- :mod:`bot.channels.web.channel`: Rasa's socket.io channel, hardened (server-minted
  sessions, one socket a conversation, urgency marked); ``credentials.yml`` names
  ``bot.channels.web.channel.WebChatInput``;
- :mod:`bot.channels.web.widget`: the routes that serve the widget's files and words;
- ``static/``: the widget itself (``index.html``, ``widget.js``, ``widget.css``, and
  the vendored ``rasa-webchat`` and ``socket.io-client`` under ``vendor/``).

:func:`urgency_of` (from :mod:`bot.channels.words`) is here too, because it is how the
widget learns which messages are urgent care.
"""

from bot.channels.words import urgency_of

__all__ = ["urgency_of"]
