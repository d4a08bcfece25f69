"""Flare-ups: advice after the short red-flag check, and the flare-up plan."""
