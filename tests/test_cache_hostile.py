"""The cache of plans already read (kehoach.plan.cache) against what an attacker, or an ordinary
day, does to it: a catalogue folder switched under a symlink, entries that are not what kehoach
wrote, and a cache that would grow with every version of a plan (issue 20, item 5)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from kehoach.base import settings
from kehoach.plan import cache
from kehoach.plan.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "plans" / "2021.yaml").read_text(encoding="utf-8")

SMALL = """\
plan:
  id: p
  title: Kế hoạch thử
  period: {start: 2021-01-01, end: 2021-12-31}
  issuers: [a]
bodies_from: bodies/co-quan.yaml
tasks:
  - id: t
    title: Việc một
    lead: [a]
    support: [b]
    deadline: 2021-06-30
"""
BOTH = "bodies:\n  - {id: a, name: Ban A, kind: party}\n  - {id: b, name: Ban B, kind: party}\n"
ONLY_A = "bodies:\n  - {id: a, name: Ban A, kind: party}\n"


@pytest.fixture
def cached(tmp_path, monkeypatch):
    """The cache on in tmp_path/cache (as the command line turns it on); `reads` lists each plan
    read afresh (not from the cache). The working folder is tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KEHOACH_NO_CACHE", raising=False)
    monkeypatch.setattr(settings, "_current", settings.Settings.from_env(os.environ))
    monkeypatch.chdir(tmp_path)
    reads: list[str] = []
    import kehoach.plan.loader as loader

    real = loader.load_text
    monkeypatch.setattr(loader, "load_text", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    return reads


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "kehoach").rglob("*.pickle"))


def catalogue_versions(tmp_path: Path) -> None:
    """bodies-v1 (bodies a and b) and bodies-v2 (a only), `bodies` a symlink to bodies-v1."""
    for name, text in (("bodies-v1", BOTH), ("bodies-v2", ONLY_A)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "co-quan.yaml").write_text(text, encoding="utf-8")
    os.symlink("bodies-v1", tmp_path / "bodies")


def switch(tmp_path: Path, to: str) -> None:
    """`ln -sfn TO bodies`: the link replaced in one step."""
    os.symlink(to, tmp_path / "bodies.new")
    os.replace(tmp_path / "bodies.new", tmp_path / "bodies")


def errors(loaded) -> list[str]:
    return [d.code for d in loaded.diagnostics if d.severity == "error"]


def test_a_catalogue_folder_switched_under_a_symlink_is_read_afresh(cached, tmp_path):
    """`ln -sfn bodies-v2 bodies` to a folder lacking a body the plan uses: the cache said 0 errors
    (the entry had kept the real path of the old folder, still there and unchanged), a fresh read 1."""
    catalogue_versions(tmp_path)
    (tmp_path / "plan.yaml").write_text(SMALL, encoding="utf-8")
    assert load_plan("plan.yaml").ok and load_plan("plan.yaml").ok and len(cached) == 1
    switch(tmp_path, "bodies-v2")
    after = load_plan("plan.yaml")
    assert not after.ok and errors(after), after.diagnostics
    assert len(cached) == 2
    fresh = load_plan("plan.yaml")
    assert errors(fresh) == errors(after)


def test_a_catalogue_switched_back_is_served_again(cached, tmp_path):
    catalogue_versions(tmp_path)
    (tmp_path / "plan.yaml").write_text(SMALL, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    switch(tmp_path, "bodies-v2")
    assert not load_plan("plan.yaml").ok
    switch(tmp_path, "bodies-v1")
    assert load_plan("plan.yaml").ok


def test_a_catalogue_changed_in_place_to_the_same_size_and_time_is_read_afresh(cached, tmp_path):
    """Hashed by content on every use: not trusted to its size and modification time."""
    catalogue_versions(tmp_path)
    (tmp_path / "plan.yaml").write_text(SMALL, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    target = tmp_path / "bodies-v1" / "co-quan.yaml"
    st = target.stat()
    target.write_text(BOTH.replace("id: b,", "id: c,"), encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    from kehoach.plan import catalogue

    catalogue._CACHE.clear()  # the in-process copy of catalogues is per version of the file, by size and time
    assert not load_plan("plan.yaml").ok and len(cached) == 2


def test_the_same_plan_read_from_another_folder_names_its_own_catalogues(cached, tmp_path, monkeypatch):
    """The catalogues an entry records are as they were reached from one folder: read by another name
    from another folder, the plan's catalogues (which outputs never overwrite) are its own."""
    catalogue_versions(tmp_path)
    (tmp_path / "plan.yaml").write_text(SMALL, encoding="utf-8")
    first = load_plan("plan.yaml")
    assert first.ok and first.catalogues == [os.path.join("bodies", "co-quan.yaml")]
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    from kehoach.plan import catalogue

    catalogue._CACHE.clear()  # a new process (the in-process copy keeps the first name it was read by)
    second = load_plan("../plan.yaml")
    assert second.ok and second.catalogues == [os.path.join("..", "bodies", "co-quan.yaml")]


@pytest.mark.parametrize("stored", [
    pytest.param([1, 2, 3], id="a-list"),
    pytest.param("text", id="a-string"),
    pytest.param(None, id="none"),
    pytest.param({"format": cache.FORMAT}, id="a-dict-without-the-plan"),
    pytest.param({"format": cache.FORMAT, "name": "plan.yaml", "catalogues": "x", "loaded": 1}, id="wrong-insides"),
    pytest.param({"format": cache.FORMAT, "name": "plan.yaml", "catalogues": [], "loaded": {"plan": 1}},
                 id="loaded-not-a-plan"),
])
def test_an_entry_that_is_not_what_kehoach_writes_is_ignored_and_removed(cached, tmp_path, stored):
    """An entry that unpickled to a list gave exit 3; now it is read afresh, and the entry replaced."""
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    [entry] = entries(tmp_path)
    entry.write_bytes(pickle.dumps(stored))
    again = load_plan("plan.yaml")
    assert again.ok and again.plan is not None and len(cached) == 2
    assert pickle.loads(entry.read_bytes()) != stored or not entry.exists()


def test_a_malformed_entry_through_the_command_line_is_no_internal_error(tmp_path, monkeypatch, kehoach):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("KEHOACH_NO_CACHE", raising=False)
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    assert kehoach("check", plan)[0] == 0
    [entry] = entries(tmp_path)
    entry.write_bytes(pickle.dumps(["not", "a", "plan"]))
    code, _, err = kehoach("check", plan)
    assert code == 0, err


def test_a_new_version_of_a_plan_replaces_its_old_entry(cached, tmp_path):
    """One entry per plan file (and per kind of reading): 7.3 MB were kept for every version of a
    5.5 MB plan, never removed."""
    path = tmp_path / "plan.yaml"
    for n in range(4):
        path.write_text(PLAN.replace("Võ Thanh An", f"Võ Thanh An {n}"), encoding="utf-8")
        assert load_plan("plan.yaml").ok
    assert len(entries(tmp_path)) == 1
    load_plan("plan.yaml", workdays=False)
    assert len(entries(tmp_path)) == 2  # with and without the weekend warnings
    other = tmp_path / "other.yaml"
    other.write_text(PLAN, encoding="utf-8")
    assert load_plan("other.yaml").ok
    assert len(entries(tmp_path)) == 3


def test_the_cache_is_bounded_and_evicts_the_oldest_first(cached, tmp_path, monkeypatch):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    one = entries(tmp_path)[0].stat().st_size
    monkeypatch.setattr(cache, "MAX_BYTES", int(one * 2.5))  # room for two entries
    names = []
    for n in range(5):
        other = tmp_path / f"plan-{n}.yaml"
        other.write_text(PLAN, encoding="utf-8")
        names.append(other.name)
        assert load_plan(other.name).ok
        stamp = 1_000_000 + n
        for entry in entries(tmp_path):  # the entry just written is the newest
            if entry.stat().st_mtime > 2_000_000:
                os.utime(entry, (stamp, stamp))
    kept = entries(tmp_path)
    assert len(kept) == 2 and sum(e.stat().st_size for e in kept) <= cache.MAX_BYTES
    # the two kept are the two newest: reading them is a cache hit, the oldest is read afresh
    before = len(cached)
    assert load_plan(names[-1]).ok and load_plan(names[-2]).ok and len(cached) == before
    assert load_plan(names[0]).ok and len(cached) == before + 1


def test_an_entry_used_is_kept_before_one_unused(cached, tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(PLAN, encoding="utf-8")
    assert load_plan("a.yaml").ok and load_plan("b.yaml").ok
    for entry in entries(tmp_path):
        os.utime(entry, (1_000_000, 1_000_000))
    assert load_plan("a.yaml").ok  # a is used again: now the newest
    one = max(e.stat().st_size for e in entries(tmp_path))
    monkeypatch.setattr(cache, "MAX_BYTES", int(one * 2.5))
    (tmp_path / "c.yaml").write_text(PLAN, encoding="utf-8")
    assert load_plan("c.yaml").ok
    reads = len(cached)
    assert load_plan("a.yaml").ok and len(cached) == reads
    assert load_plan("b.yaml").ok and len(cached) == reads + 1


def test_an_entry_of_another_kehoach_version_is_never_read(cached, tmp_path, monkeypatch):
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    monkeypatch.setattr(cache, "_code_key", "0" * 16)
    assert load_plan("plan.yaml").ok and len(cached) == 2
    assert len(entries(tmp_path)) == 1  # the other version's entry of this plan replaced


def test_an_entry_past_the_whole_cache_size_is_not_kept(cached, tmp_path, monkeypatch):
    """The entry is pickled straight into its temporary file; one larger than the whole cache
    may be is not kept, and leaves no temporary file behind."""
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    assert load_plan("plan.yaml").ok
    one = entries(tmp_path)[0].stat().st_size
    for entry in entries(tmp_path):
        entry.unlink()
    monkeypatch.setattr(cache, "MAX_BYTES", one - 1)
    assert load_plan("plan.yaml").ok
    assert entries(tmp_path) == []
    assert not [p for p in tmp_path.rglob("*.tmp")]
    monkeypatch.setattr(cache, "MAX_BYTES", one)
    assert load_plan("plan.yaml").ok and len(entries(tmp_path)) == 1


def test_a_relative_cache_folder_is_ignored_as_xdg_says():
    """XDG_CACHE_HOME=relative put the cache's pickles in ./relative/kehoach of whatever folder the
    command ran from (a plan's folder from outside, a repository)."""
    from pathlib import Path

    from kehoach.base.settings import _cache_folder

    assert _cache_folder({"XDG_CACHE_HOME": "relative"}) == Path.home() / ".cache" / "kehoach"
    assert _cache_folder({"XDG_CACHE_HOME": "/var/c"}) == Path("/var/c/kehoach")
