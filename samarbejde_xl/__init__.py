"""samarbejde-xl: Samarbejdsmodellen in Excel."""

import os

# openpyxl serialises with lxml when it is installed (the lossless writer needs lxml) and with the standard library
# otherwise; the two give different bytes. Pin the standard-library serialiser so templates, demo data and examples
# stay byte-reproducible whatever else is installed. (Set before anything imports openpyxl.)
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
