"""UI and CLI strings, one module per language."""
