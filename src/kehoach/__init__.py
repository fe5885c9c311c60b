"""kehoach: plan-as-code for public-sector coordination plans."""

__version__ = "0.1.0"
