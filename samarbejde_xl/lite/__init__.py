"""The zero-install edition: the add-in's worksheet functions and ribbon actions in xlwings Lite (Pyodide).

``samarbejde-xl lite build`` writes the main.py and requirements.txt a coordinator pastes into xlwings Lite; the
project's own code travels inside main.py (``lite.bundle``). Nothing in this package imports an Excel library at
module level except ``lite.scripts``, which needs xlwings exactly as the classic add-in's modules do.
"""
