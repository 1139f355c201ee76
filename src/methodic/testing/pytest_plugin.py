"""pytest fixtures for testing code that talks to Chronicle (filled in by the local-server work)."""
