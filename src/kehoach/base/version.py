"""kehoach's version: one place, read by the package, the wheel and the plan cache."""

__version__ = "0.2.0"


def version_line() -> str:
    """What `kehoach --version` prints."""
    return f"kehoach {__version__}\n"
