"""The application shell: the Textual app, the CLI entry point, UI strings and theme."""
