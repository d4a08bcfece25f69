"""Manage commands of the console: ``createuser`` and ``serve``."""
