"""The cache of plans already read (kehoach.plan.cache): never stale, never foreign, never from a
folder others may write, never of an invalid plan; `--no-cache` and KEHOACH_NO_CACHE turn it off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kehoach.base import settings
from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8")


@pytest.fixture
def cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KEHOACH_NO_CACHE", raising=False)
    monkeypatch.setattr(settings, "_current", settings.Settings.from_env(os.environ))  # as the command line does
    reads = []
    import kehoach.plan.loader as loader

    real = loader.load_text
    monkeypatch.setattr(loader, "load_text", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path, reads


def entries(tmp_path):
    return sorted((tmp_path / "cache" / "kehoach").rglob("*.pickle"))


def test_a_plan_read_twice_is_parsed_once_and_is_the_same(cached, tmp_path):
    path, reads = cached
    first = load_plan(path)
    second = load_plan(path)
    assert len(reads) == 1 and len(entries(tmp_path)) == 1
    assert second.plan == first.plan and second.diagnostics == first.diagnostics and second.text == PLAN
    mode = entries(tmp_path)[0].stat().st_mode & 0o777
    assert mode == 0o600 and (tmp_path / "cache" / "kehoach").stat().st_mode & 0o777 == 0o700


def test_a_changed_file_is_read_afresh(cached):
    path, reads = cached
    load_plan(path)
    path.write_text(PLAN.replace("Võ Thanh An", "Võ Thanh Anh"), encoding="utf-8")
    assert load_plan(path).plan.signers[1].name == "Võ Thanh Anh" and len(reads) == 2


def test_an_invalid_plan_is_never_kept(cached, tmp_path):
    path, reads = cached
    path.write_text(PLAN.replace("lead: [bdvtu]", "lead: [bdvtuu]", 1), encoding="utf-8")
    assert not load_plan(path).ok and not load_plan(path).ok
    assert len(reads) == 2 and entries(tmp_path) == []


def test_a_corrupt_entry_is_ignored(cached, tmp_path):
    path, reads = cached
    load_plan(path)
    entries(tmp_path)[0].write_bytes(b"not a pickle")
    assert load_plan(path).ok and len(reads) == 2


def test_a_folder_others_may_write_is_never_read(cached, tmp_path):
    path, reads = cached
    load_plan(path)
    os.chmod(tmp_path / "cache" / "kehoach", 0o777)
    assert load_plan(path).ok and len(reads) == 2


def test_a_changed_catalogue_is_read_afresh(cached, tmp_path):
    path, reads = cached
    (tmp_path / "bodies.yaml").write_text("bodies:\n  - {id: x, name: Cơ quan X, kind: state}\n", encoding="utf-8")
    path.write_text(PLAN.replace("\nbodies:\n", "\nbodies_from: bodies.yaml\nbodies:\n", 1), encoding="utf-8")
    from kehoach.plan import catalogue as bodycatalogue

    assert load_plan(path).ok and load_plan(path).ok and len(reads) == 1
    (tmp_path / "bodies.yaml").write_text("bodies:\n  - {id: y, name: Cơ quan Y, kind: state}\n", encoding="utf-8")
    bodycatalogue._CACHE.clear()
    assert [b.id for b in load_plan(path).plan.bodies][-1] == "y" and len(reads) == 2


def test_no_cache(cached, tmp_path, monkeypatch, kehoach):
    path, reads = cached
    monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
    monkeypatch.setattr(settings, "_current", settings.Settings.from_env(os.environ))
    load_plan(path)
    load_plan(path)
    assert len(reads) == 2 and entries(tmp_path) == []
    monkeypatch.delenv("KEHOACH_NO_CACHE")
    code, _, _ = kehoach("status", "-p", path, "--as-of", "2021-07-01", "--no-cache", "-f", "json")
    assert code == 0 and entries(tmp_path) == []
    code, _, _ = kehoach("status", "-p", path, "--as-of", "2021-07-01", "-f", "json")
    # status keeps the plan twice: as the loader reads it, and as plain objects (plan.plain)
    assert code == 0 and sorted(e.name.split("-")[1] for e in entries(tmp_path)) == ["0", "p0"]


def test_a_program_calling_the_library_writes_no_cache(tmp_path, monkeypatch):
    """Only the command line keeps plans in the user's cache folder; a script that calls
    `load_plan` leaves nothing there, whatever the environment says."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KEHOACH_NO_CACHE", raising=False)
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    assert load_plan(path).ok and load_plan(path).ok
    assert not (tmp_path / "cache").exists()
