"""The home exercise library: exercises as data, read and checked by :mod:`.library`.

Each exercise lives in ``content/exercises/<id>.yml`` with its illustration in
``content/exercises/images/<id>.svg``; the words that lay an exercise out in a chat
(headings, how a dose is said) are in ``content/exercise_library.yml``. No Action
classes yet: the conversation that offers exercises comes later.
"""
