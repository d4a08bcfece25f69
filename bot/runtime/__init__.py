"""What runs inside the Rasa server process besides Rasa's own code."""
