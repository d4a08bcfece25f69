"""Rasa-side package: NLU components, channels, settings and the base spaCy pipeline."""
