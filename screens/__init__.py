"""One module per screen or modal. Screens read and write through db's public API and
reach UI strings through the running app (``self.t``), so imports point tui → screens → db."""
