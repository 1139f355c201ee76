"""Component names and directory scanning are checked before anything is registered or written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from methodic.transfer.files import resolve_inside, safe_component_name, scan_directory


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "./a", "a/./b", "a\x00b"])
def test_unsafe_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        safe_component_name(name)


def test_safe_names_pass_and_resolve_inside(tmp_path: Path) -> None:
    assert safe_component_name("model/weights.bin") == "model/weights.bin"
    assert resolve_inside(tmp_path, "a/b.bin") == (tmp_path / "a" / "b.bin").resolve()
    with pytest.raises(ValueError):
        resolve_inside(tmp_path, "../escape")


def test_resolve_inside_refuses_a_symlinked_subdirectory_pointing_out(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(tmp_path)
    with pytest.raises(ValueError, match="outside"):
        resolve_inside(root, "link/x.bin")


def test_scan_lists_regular_files_recursively(tmp_path: Path) -> None:
    (tmp_path / "d" / "e").mkdir(parents=True)
    (tmp_path / "a.bin").write_bytes(b"12")
    (tmp_path / "d" / "e" / "b.bin").write_bytes(b"345")
    (tmp_path / "inside").symlink_to(tmp_path / "a.bin")
    found = scan_directory(tmp_path)
    assert [(s.name, s.size) for s in found] == [("a.bin", 2), ("d/e/b.bin", 3), ("inside", 2)]


def test_scan_refuses_bad_directories(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        scan_directory(tmp_path / "missing")
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        scan_directory(tmp_path / "f")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="empty"):
        scan_directory(tmp_path / "empty")
    outside = tmp_path / "d2"
    outside.mkdir()
    (outside / "ok").write_text("x")
    (outside / "out").symlink_to(tmp_path / "f")
    with pytest.raises(ValueError, match="outside"):
        scan_directory(outside)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_scan_refuses_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("x")
    (tmp_path / "secret").chmod(0)
    with pytest.raises(ValueError, match="readable"):
        scan_directory(tmp_path)


def test_scan_refuses_dangling_links_and_special_files(tmp_path: Path) -> None:
    (tmp_path / "ok.bin").write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "gone")
    with pytest.raises(ValueError, match="broken symlink"):
        scan_directory(tmp_path)
    (tmp_path / "dangling").unlink()
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(ValueError, match="not a regular file"):
        scan_directory(tmp_path)


def test_scan_refuses_unreadable_files_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.bin").write_text("x")
    (tmp_path / "secret.bin").write_text("x")
    real_access = os.access
    monkeypatch.setattr(
        "methodic.transfer.files.os.access",
        lambda p, mode: False if Path(p).name == "secret.bin" else real_access(p, mode),
    )
    with pytest.raises(ValueError, match=r"secret\.bin is not readable"):
        scan_directory(tmp_path)


def test_scan_does_not_descend_symlinked_directories_but_checks_them(tmp_path: Path) -> None:
    root = tmp_path / "ckpt"
    (root / "step-1").mkdir(parents=True)
    (root / "step-1" / "w.bin").write_bytes(b"abc")
    (root / "latest").symlink_to(root / "step-1")
    (root / "loop").symlink_to(root)
    found = scan_directory(root)
    assert [s.name for s in found] == ["step-1/w.bin"]
    assert found[0].local_path == str((root / "step-1" / "w.bin").resolve())
    (tmp_path / "elsewhere").mkdir()
    (root / "away").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="away is a symlink pointing outside"):
        scan_directory(root)


def test_resolve_inside_places_nested_names_under_the_directory(tmp_path: Path) -> None:
    assert resolve_inside(tmp_path, "a/b/c.bin") == (tmp_path / "a" / "b" / "c.bin").resolve()
    with pytest.raises(ValueError, match=r"'\.\.'"):
        resolve_inside(tmp_path, "a/../../x")
