"""Clinicians' annotations on conversations: tags (on a conversation or one message), notes."""
