"""Weekly check-in with the PEG scale."""
