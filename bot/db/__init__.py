"""Storage: models, the session factory and migrations."""
