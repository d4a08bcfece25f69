"""The STarT Back questionnaire (Keele University): 9 items, scored into a risk group.

Offered once after the first greeting and on request; the items are asked one at a
time by a form, scored by plain logic (:mod:`.scoring`, answers read by
:mod:`.answers`), kept per patient (:mod:`.store`, table ``start_back_results``) and
told in plain words from ``content/start_back.yml`` (:mod:`.messages`), by the thin
Action classes in :mod:`.actions`. The console shows the latest group beside the PEG
chart (``console/outcomes/``).
"""
