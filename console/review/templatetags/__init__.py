"""The review app's template filters."""
