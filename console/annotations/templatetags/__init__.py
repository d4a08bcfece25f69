"""The annotations app's template filters."""
