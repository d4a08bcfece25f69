"""Pacing plans: read the form's answers, work the plan out, keep it, show it."""
