"""A patient's outcomes: the PEG chart with flare-ups and red flags, STarT Back, pacing, exercise.

One read-only page per conversation, ``/conversations/P-<key>/outcomes/``, linked from
the transcript and the case: the check-in (PEG) scores over time as a chart drawn here
in Python as SVG (:mod:`.chart`) with a text table beside it, the latest STarT Back
group, the pacing plans' progress and the exercise days per week, gathered from the
bot's stores and the conversation's events by :mod:`.outcomes`. Every read is audited.
"""
