"""The retention app's manage commands: purge and erase."""
