"""Transcripts: a case's conversation read from Rasa's ``events`` table, every read audited."""
