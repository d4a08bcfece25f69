"""Retention and erasure: how long conversations are kept, legal holds, erasing a patient."""
