"""storo-directory: reference data for Storo as immutable, versioned datasets."""

__version__ = "1.0.0"
