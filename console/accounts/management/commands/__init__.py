"""``python -m console createuser`` and ``python -m console serve``."""
