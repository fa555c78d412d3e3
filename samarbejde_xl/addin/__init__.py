"""The live Excel adapter (xlwings): worksheet functions (``udfs``), the ribbon handlers (``ribbon``, thin: read
through ``book.LiveEngine``, compute in the core, apply), the .xlam build with its VBA (``build``, ``ovba``) and the
offline wheel bundle for PCs without internet (``bundle``)."""
