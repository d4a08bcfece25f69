"""The review app's manage command: export_verdicts."""
