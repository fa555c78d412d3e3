"""The demo municipality: synthetic case workbooks for demos, tests and the committed examples.

Not the model's rules (those live in ``samarbejde_xl.core``): ``generator`` invents the typed data of a
municipality from a seed and ``mistakes`` plants typical entry mistakes over it (both pure); ``municipality``
writes the workbooks and runs the demo consolidation; ``examples`` writes ``examples/`` as a guide's refresh would
leave it. The commands ``demo-data``, ``demo`` and ``demo-examples`` are thin layers over these.
"""
