"""Care-team follow-up: call-back requests written to the care-team outbox."""
