"""Renderers of the figures (XlsxWriter) and the stores beside them.

``leader_report`` writes the internal leader-group report with native charts; ``politicians`` renders
``core.publication``'s summary as a workbook of its own and ``pdf`` prints it through LibreOffice; ``history_store``
keeps each quarter's key figures (SQLite) for the trend; ``facts_cache`` keeps each file's facts for a warm re-run.
``writers`` imports the XlsxWriter renderers only for what writes.
Nothing here decides a figure or what may be published: that is the core's.
"""
