"""The append-only audit: every case view, state change, sign-in, sign-out and failed sign-in."""
