"""The pure core: the model's rules. Imports the standard library and ``samarbejde_xl.schema`` only."""
