"""Shared fixtures for the kehoach tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_plan_cache(monkeypatch):
    """The suite reads every plan afresh and writes nothing under the user's cache folder;
    tests/test_cache.py turns the cache on in a folder of its own. The library's settings are
    its defaults, with the parser the run asks for (`KEHOACH_YAML_PARSER=pure`, as .ci/run
    runs part of the suite again), so that library calls read as the command line does."""
    import os

    from kehoach.base import settings

    monkeypatch.setenv("KEHOACH_NO_CACHE", "1")
    monkeypatch.setattr(settings, "_current",
                        settings.Settings(pure_parser=os.environ.get("KEHOACH_YAML_PARSER") == "pure",
                                          accel=os.environ.get("KEHOACH_NO_ACCEL", "") in ("", "0")))


@pytest.fixture
def write_plan_file(tmp_path):
    """Factory: `write_plan_file(content, name="plan.yaml") -> Path`.

    Writes `content` (str, stored as UTF-8 byte for byte, or raw bytes) into a
    file under the test's tmp_path and returns its path.
    """

    def _write(content: str | bytes, name: str = "plan.yaml"):
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return _write


@pytest.fixture
def run_check_cli(capsys, monkeypatch):
    """Factory: `run_check_cli(*args) -> (exit_code, stdout, stderr)`.

    Runs `kehoach check ARGS` in-process through `kehoach.cli.app.main`, with
    KEHOACH_LANG unset (a test may set it again with monkeypatch afterwards).
    """
    from kehoach.cli.app import main

    monkeypatch.delenv("KEHOACH_LANG", raising=False)

    def _run(*args):
        capsys.readouterr()  # drop anything printed before
        code = main(["check", *(str(a) for a in args)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


def pytest_collection_modifyitems(config, items):
    """The long fuzz run is asked for by name (`pytest -m fuzz`); the suite and CI leave it out."""
    if "fuzz" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="the long fuzz run: ask for it with pytest -m fuzz (docs/security.md)")
    for item in items:
        if item.get_closest_marker("fuzz"):
            item.add_marker(skip)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", default=False,
        help="Rewrite the golden files under tests/golden/ from the current output (review the diff by eye).",
    )


@pytest.fixture
def golden(request):
    """`golden(name, text)`: compare `text` with tests/golden/NAME, or rewrite it with --update-golden."""
    from pathlib import Path

    folder = Path(__file__).parent / "golden"
    update = request.config.getoption("--update-golden")

    def _check(name: str, text: str):
        path = folder / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"no golden file {path}: run pytest --update-golden and review it")
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        assert text == path.read_text(encoding="utf-8"), (
            f"output differs from {path} (pytest --update-golden to accept)")

    return _check


@pytest.fixture
def kehoach(capsys, monkeypatch):
    """Factory: `kehoach(*args) -> (exit_code, stdout, stderr)`: any command, in-process, in
    Vietnamese unless `--lang` says otherwise (KEHOACH_LANG unset)."""
    from kehoach.cli.app import main

    monkeypatch.delenv("KEHOACH_LANG", raising=False)

    def _run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run
