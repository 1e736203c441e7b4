"""The journal rules every write needs, below the store and below sync.

- ``clock.py``     the hybrid logical clock: one stamp per write, a total order.
- ``markers.py``   the journal fields that are not record fields: tombstones, erasure
                   markers, acknowledgements; the scope each journal field travels in;
                   what applying an erasure does.
- ``vectors.py``   version vectors per scope, kept as their own state.
- ``conflicts.py`` the conflict list, a pure function of the journal.

Nothing here imports the store or sync: the store stamps and journals its writes with
these rules, and sync (db/sync/) applies received entries with the same ones.
"""
