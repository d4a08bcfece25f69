"""Dialogue policies that run inside the Rasa server."""
