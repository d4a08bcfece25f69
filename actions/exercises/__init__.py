"""The home exercise library: exercises as data, read and checked by :mod:`.library`.

Each exercise lives in ``content/exercises/<id>.yml`` with its illustration in
``content/exercises/images/<id>.svg``; the words that lay an exercise out in a chat
(headings, how a dose is said) are in ``content/exercise_library.yml``.

The home exercise programme built on it: a patient's choice of exercises and their
daily log (:mod:`.store`), reading what patients type (:mod:`.parsing`, :mod:`.walk`),
the adherence arithmetic (:mod:`.adherence`), the messages (:mod:`.messages`) and the
thin Action classes (:mod:`.actions`), words in ``content/exercise_programme.yml``.
"""
