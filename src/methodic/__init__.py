"""methodic: the Python SDK for the Chronicle experiment platform."""

from methodic._version import __version__

__all__ = ["__version__"]
