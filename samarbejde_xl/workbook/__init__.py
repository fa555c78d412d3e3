"""File adapters: the only package that imports openpyxl / python_calamine (template, reader, writers)."""
