"""File adapters: the only package that imports openpyxl and python-calamine.

``template`` builds the case workbook from the schema; ``reader`` reads a file's cells once (calamine, with zip
checks first); ``file_engine`` is the engine every CLI twin of a ribbon button uses: it reads, adds case sheets and
applies the core's SheetWrites through ``package`` (patching only the XML parts and cells the tools own, so what a
user added survives) and ``save``; ``data_writer`` writes typed data into a new workbook (demo and tests);
``upgrade`` moves a workbook to the current template; ``discover`` finds the workbooks in folders; ``survey`` is the
professionals' survey workbook.
"""
