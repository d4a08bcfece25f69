"""The case queue: every care-team alert is a case, worked from new to closed."""
