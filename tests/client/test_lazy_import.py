"""``import methodic`` stays light: heavy parts load on first use, and load correctly when they do."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_import_methodic_defers_endpoints_models_tracker_and_transfers() -> None:
    loaded = _modules_after("import methodic")
    assert "methodic" in loaded and "httpx" in loaded
    deferred = {
        "sqlite3",
        "tqdm",
        "yaml",
        "methodic.transfer.tracker",
        "methodic.transfer.upload",
        "methodic.transfer.put",
        "methodic.transfer.get",
        "methodic.transfer.retry",
        "methodic.namespaces.experiments",
        "methodic.namespaces.search",
    }
    assert not deferred & loaded
    assert not [m for m in loaded if m.startswith("methodic_api.api.")]
    models = [m for m in loaded if m.startswith("methodic_api.models.")]
    assert models == [], models


def test_a_client_does_not_build_the_storage_client_until_a_transfer() -> None:
    loaded = _modules_after(
        "import methodic\n"
        "c = methodic.Chronicle('http://127.0.0.1:9', 'sk_x')\n"
        "assert c._transfer_door.current() is None\n"
        "c.experiments\n"
        "c.close()\n"
    )
    assert "methodic.namespaces.experiments" in loaded and "methodic.namespaces.search" not in loaded


def test_lazy_public_names_resolve() -> None:
    import methodic
    import methodic.namespaces as namespaces
    import methodic.types as types

    assert methodic.SearchFilters.__name__ == "SearchFilters"
    assert methodic.UploadTracker.__name__ == "UploadTracker"
    for name in namespaces.__all__:
        assert getattr(namespaces, name) is not None
    for name in types.__all__:
        assert isinstance(getattr(types, name), type), name
    with pytest.raises(AttributeError):
        _ = methodic.NoSuchThing  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = types.NoSuchModel


def test_generated_models_package_is_lazy_and_complete() -> None:
    import methodic_api.models as models

    assert set(models.__all__) == set(models._MODULE_OF)
    for name in models.__all__:
        cls = getattr(models, name)
        assert isinstance(cls, type) and cls.__name__ == name
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError):
        _ = models.NoSuchModel
    from methodic_api.models import Asset, Run

    assert Asset.__module__ == "methodic_api.models.asset" and Run.__module__ == "methodic_api.models.run"
