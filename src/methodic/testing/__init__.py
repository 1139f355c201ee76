"""Test helpers: a local Chronicle server (API + presigned storage) for your own runner's tests.

Needs the ``server`` extra: ``pip install 'methodic-research[server]'``.
"""

from methodic.testing._local import Faults, LocalChronicle

__all__ = ["Faults", "LocalChronicle"]
