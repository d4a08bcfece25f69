"""The SMS channel on Twilio, by concern.

- :mod:`bot.channels.sms.channel`: the Rasa input and output channels (signed
  webhook, keywords, one text a turn); ``credentials.sms.yml`` names
  ``bot.channels.sms.channel.TwilioSmsInput``;
- :mod:`bot.channels.sms.store`: opt-outs, offered buttons, pending pages and replayed
  message ids, per phone number, in the product's database;
- :mod:`bot.channels.sms.sender`: sending through the Twilio REST API;
- :mod:`bot.channels.sms.format`: a bot turn as texts (pure);
- :mod:`bot.channels.sms.segments`: the GSM-7 alphabet and segment arithmetic (pure);
- :mod:`bot.channels.sms.replies`: reading a lettered reply or a keyword (pure).
"""
