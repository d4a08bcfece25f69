"""Conversations: the list, each transcript with the patient's plans, the reviewed mark.

The list reads a console-owned index of Rasa's ``events`` (:mod:`console.transcripts.index`);
every read and mark is audited.
"""
