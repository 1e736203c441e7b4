"""English UI and CLI strings."""

MESSAGES: dict[str, str] = {
    # command line
    "cli.help": (
        "Trygg – safety walks, quick alcohol reports and action plans for local crime "
        "prevention. Without a command, opens the application."
    ),
    "cli.usage": "Usage:",
    "cli.options": "Options",
    "cli.commands": "Commands",
    "cli.opt.help": "Show this message and exit.",
    "cli.opt.version": "Show the version and exit.",
    "cli.opt.db": "Database file (else TRYGG_DB or the default location).",
    "cli.opt.lang": "Language: sv (Swedish) or en (English).",
    "cli.opt.debug": "Show technical details of unexpected errors.",
    "cli.interrupted": "Interrupted.",
    "cli.sqlite_database": "The database could not be used right now. Nothing was changed.",
    "cli.sqlite_disk_full": "The disk is full. Nothing was saved – free some space and try again.",
    "cli.os_error": "The file could not be written or read: {reason}.",
    "cli.unexpected": "An unexpected error occurred ({kind}). Run again with --debug for details.",
    "cli.yes": "Yes",
    "cli.no": "No",
    "cli.init.help": "Create and set up a new database for this device.",
    "cli.init.opt.name": "The device's name, e.g. 'Community police Lycksele' or 'Coordinator Åsele'.",
    "cli.init.opt.kommun": "Default municipality for new records.",
    "cli.init.opt.org": "Organisation: polis (police) or kommun (municipality).",
    "cli.init.done": "The database {path} is created for {name} ({org}, {kommun}).",
    "cli.demo.help": "Open Trygg on a new demo database with sample data (made anew each time).",
    "cli.demo.opt.no_tui": "Create the demo database but do not open the application.",
    "cli.demo.device_name": "Demo – Community police Lycksele",
    "cli.demo.done": "Demo database created: {path}",
    "cli.log.help": "Show the change log: who changed what and when (for one record if RECORD_ID is given).",
    "cli.log.opt.limit": "At most this many lines (without RECORD_ID).",
    "cli.log.opt.show_personal": "Show personal data (names, personnummer, phone) in clear text.",
    "cli.log.col.when": "When",
    "cli.log.col.device": "Device",
    "cli.log.col.record": "Record",
    "cli.log.col.field": "Field",
    "cli.log.col.value": "New value",
    "cli.log.deleted": "(deleted)",
    "cli.log.personal_hidden": "(personal data hidden)",
    "cli.log.empty": "No changes yet.",
    "cli.records.help": "Read and write records in the interchange format (JSON Lines).",
    "cli.records.opt.type": "Record type.",
    "cli.records.export.help": "Write every record as JSON Lines, sorted by type and id.",
    "cli.records.export.opt.out": "File to write to (else standard output).",
    "cli.records.export.done": "{count} records exported to {path}.",
    "cli.records.import.help": (
        "Read records from JSON Lines or CSV. Everything is checked first; on any problem "
        "nothing is changed."
    ),
    "cli.records.import.done": "Imported: {created} new, {updated} changed, {unchanged} unchanged.",
    "cli.records.import.skipped_deleted": "{count} records were skipped because they are deleted here.",
    # application
    "app.title": "Trygg",
    "key.quit": "Quit",
    "key.quit.tooltip": "Close Trygg (everything is already saved)",
    "key.palette": "Commands",
    "key.palette.tooltip": "Search all commands (the command palette)",
    "key.help": "Help",
    "key.help.tooltip": "Show the keys of this view",
    "key.back": "Back",
    "key.back.tooltip": "Go back to the previous view",
    "key.save": "Save",
    "key.save.tooltip": "Save the form",
    "home.title": "Overview",
    "home.device": "Device: {name} · {org} · {kommun}",
    "home.database": "Database: {path}",
    "home.col.type": "Record type",
    "home.col.count": "Count",
    "home.counts": "Records in the database",
    "home.unsent": "Changes in the log: {count}",
    "home.placeholder": (
        "The views for safety walks, quick reports and action plans come in later versions. "
        "Meanwhile: 'trygg records export' and 'trygg log' on the command line."
    ),
    "help.title": "Keys",
    "help.close": "Close with Esc",
    "setup.title": "Welcome to Trygg",
    "setup.intro": (
        "This database is new. Say who this computer belongs to – colleagues who receive "
        "files from here will see it."
    ),
    "setup.name": "Device name",
    "setup.name.placeholder": "e.g. Community police Lycksele",
    "setup.org": "Organisation",
    "setup.kommun": "Default municipality",
    "setup.kommun.placeholder": "e.g. Lycksele",
    "setup.save": "Save and start",
    "setup.saved": "The device is set up.",
    "error.title": "Could not open the database",
}
