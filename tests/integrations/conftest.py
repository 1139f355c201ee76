"""Trainer integrations are tested with the real frameworks on the CPU; nothing is downloaded.

The frameworks come with the ``dev`` extra (``make install``); on a Python where they are not
installed (``make test-all`` installs only the ``test`` extra there) these tests are skipped.
"""

from __future__ import annotations

import os
import sys

import pytest

from tests.helpers import EXAMPLES

# No test may reach a model hub; the frameworks must not even try.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("WANDB_DISABLED", "true")


@pytest.fixture(autouse=True)
def _examples_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    sys.modules.pop("hf_trainer", None)
