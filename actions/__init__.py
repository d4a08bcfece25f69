"""Custom actions for the BackCare action server (rasa-sdk).

Start the server with ``python -m actions``. rasa-sdk imports every module of this
package, sub-packages included, and registers the ``Action`` subclasses it finds that
are not abstract. One package per feature (``education``, ``pacing``, ``flare_ups``,
``checkin``, ``care_team``) keeps its Action classes in ``actions.py`` beside plain,
typed logic with no Rasa imports; ``common`` holds the shared plumbing (the one content
loader, send helper, channel check and form base classes). Nothing is loaded at import
time: content and stores are opened on first use.
"""
