"""The transcripts app's manage commands."""
