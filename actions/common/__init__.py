"""Plumbing shared by the action server's features: content, sending, channel, base classes.

Only abstract base classes live here, so the action server serves no action from it.
"""
