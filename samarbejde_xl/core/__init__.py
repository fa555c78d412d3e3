"""The pure core: the model's rules and the data's one-way path between the adapters.

Imports the standard library and ``samarbejde_xl.schema`` only (a test fences every Excel library out) and keeps no
module-level mutable state (a test checks). Today's date is always a parameter. The path, in module order:

- ``parse`` turns a workbook's raw cells (``raw``) into the typed model (``model``), moving an older template's
  cells to the current layout once (``migrate``); ``settings`` reads the Indstillinger rules;
- ``check`` and ``validation`` find problems (``problems``: each names a logical place, not a cell); ``meetings``
  plans the model's meetings and ``outcomes`` places a young person in an outcome category;
- ``buttons`` and ``sheet_writes`` compute what each ribbon button and its CLI twin write (applied by an engine);
- ``facts`` reduces one workbook to what the report needs (and what travels between processes); ``aggregate``
  folds the facts of one period into ``figures`` (plus ``breakdowns`` by coordinator, department and variant);
- ``publication`` decides what the politicians may see (``suppression``), as typed cells the renderer only lays out.
"""
