"""Action plans (åtgärdsplaner, medborgarlöften): the rhythm of a measure in plain words
(``rhythm``), progress against it (``progress``) and gentle SMART hints on goals
(``smart``)."""
