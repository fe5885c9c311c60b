"""kehoach's version: one place, read by the package, the wheel and the plan cache."""

__version__ = "0.2.0"
