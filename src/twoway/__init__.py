"""Twoway: reciprocal mentoring programs where learning flows both ways."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("twoway")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
