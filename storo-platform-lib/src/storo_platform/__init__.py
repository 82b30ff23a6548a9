"""Storo's shared foundations: money, business calendar, settings, RBAC, problems."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("storo-platform-lib")
except PackageNotFoundError:  # running from a source tree without metadata
    __version__ = "0.0.0"

__all__ = ["__version__"]
