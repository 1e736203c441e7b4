"""Message catalogues of the data core, one module per language."""
