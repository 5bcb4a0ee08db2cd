"""Demo data of every app, for development databases only (NOLLVISION_ALLOW_DEMO_DATA)."""
