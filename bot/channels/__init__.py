"""Input channels for patients (web, SMS) and integrations (REST)."""
