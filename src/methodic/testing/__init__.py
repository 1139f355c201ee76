"""Test helpers: a local Chronicle server for your own runner's tests."""
