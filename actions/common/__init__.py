"""Plumbing shared by the action server's features (no Action classes live here)."""
