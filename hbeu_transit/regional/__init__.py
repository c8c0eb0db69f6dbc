"""regional."""
