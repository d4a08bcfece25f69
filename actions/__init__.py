"""Custom actions for the BackCare action server (rasa-sdk).

Start the server from the repository root with ``rasa run actions``; rasa-sdk imports
every module of this package and registers the ``Action`` subclasses it finds. Modules
hold thin Action classes per feature; the logic they call is plain, typed Python with no
Rasa imports (for education: :mod:`actions.education.content` and :mod:`actions.education.teach_back`).
Nothing is loaded at import time: content is read on first use.
"""
