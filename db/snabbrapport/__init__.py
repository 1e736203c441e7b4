"""Quick alcohol reports (SNABBRAPPORT ALKOHOL, Kronobergsmodellen): their follow-up
statistics (``statistics``)."""
