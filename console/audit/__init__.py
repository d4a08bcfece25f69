"""The append-only audit of the console.

Every case view, transcript read, state change, sign-in, sign-out and failed sign-in.
"""
