"""samarbejde-xl: Samarbejdsmodellen in Excel."""

__version__ = "0.1.0"
