"""Sync by files: bundles, merge, delta export, conflicts, scopes and the mailbox folder.

The rules (DESIGN.md, "Sync by files"), and where each lives:

- ``bundle.py``   the file: a small SQLite database of journal entries and a manifest,
                  checked whole (schema, SHA-256, every value) before anything is written.
- ``exporter.py`` what goes into a file: journal entries above the vectors the peer last
                  declared, in the scopes of the profile (``kommun`` leaves personal out).
- ``merge.py``    taking a file in: per field, the newest stamp wins; deletions and
                  erasures are sticky; vectors advance only where nothing is missing.
- ``mailbox.py``  ``trygg sync DIR``: one outgoing file per device in a shared folder.

The journal rules these share with the store (clock, markers, vectors, conflicts) sit
below both, in db/journal/.
"""
