"""A clinician takes over a conversation, writes to the patient, and hands it back."""
