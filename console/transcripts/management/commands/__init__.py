"""``python -m console index_conversations``."""
