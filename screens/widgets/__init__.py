"""What several screens share: the base classes, the form behaviour, the choice lines,
paged tables, small dialogs, the filtered-list screen, the folder picker and opening a
record wherever it lives. Each screen module imports what it needs from here."""
