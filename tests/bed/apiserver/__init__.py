"""The Kubernetes API server stand-in: an in-memory store behind an HTTP front end."""
