"""``trygg log``: who wrote what and when (the journal, grouped by write), and with
``--exports`` every file this device wrote."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from db.dates import local_moment
from db.errors import TryggError
from db.journal.markers import marker_text
from db.records import TYPES, Kind, choice_label, field_label, type_label
from db.store import JournalEntry, Store, proved_writes
from db.sync import export_log
from db.textutil import printable
from tui.cli.common import command, db_option, open_store
from tui.text import echo, language, t

_ENCRYPTION_LABELS = {
    "none": "cli.exports.enc.none",
    "passphrase": "cli.exports.enc.passphrase",
    "recipients": "cli.exports.enc.recipients",
}


@command("log", "cli.log.help")
@db_option
@click.argument("record_id", required=False)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="cli.log.opt.limit",
)
@click.option("--show-personal", is_flag=True, help="cli.log.opt.show_personal")
@click.option("--exports", is_flag=True, help="cli.log.opt.exports")
@click.pass_context
def log_command(
    ctx: click.Context,
    db: str | None,
    record_id: str | None,
    limit: int,
    show_personal: bool,
    exports: bool,
) -> None:
    with open_store(ctx, db, need_device=False) as store:
        if exports:
            print_export_log(store, limit)
            return
        entries = store.journal(record_id, limit=None if record_id else limit)
        if record_id and not entries:
            raise TryggError("record.missing", id=record_id)
        _print_log(entries, show_personal)


def _print_log(entries: list[JournalEntry], show_personal: bool) -> None:
    """Print the journal grouped by write: one heading per stamp (when, who, which record),
    then the fields that write changed. Personal values stay hidden unless asked for."""
    if not entries:
        echo(t("cli.log.empty"))
        return
    lang = language()
    proved = proved_writes(entries)
    heading = None
    for entry in entries:
        key = (entry.stamp, entry.record_id)
        if key != heading:
            heading = key
            when = datetime.fromtimestamp(entry.stamp.ms / 1000).strftime("%Y-%m-%d %H:%M:%S")
            who = entry.device_name or entry.stamp.device[:8]
            status = t("cli.log.verified" if proved[key] else "cli.log.unverified")
            echo(
                printable(
                    f"{when} · {who} · {type_label(entry.rtype, lang)} {entry.record_id}"
                    f" · {status}",
                    single_line=True,
                )
            )
        marker = marker_text(entry.rtype, entry.field, entry.value, lang)
        if marker is not None:
            echo(printable("    " + marker, single_line=True))
            continue
        if entry.scope == "personal" and not show_personal and entry.value is not None:
            value = t("cli.log.personal_hidden")
        else:
            value = _show_value(entry.rtype, entry.field, entry.value, lang)
        label = field_label(entry.rtype, entry.field, lang)
        echo(printable(f"    {label}: {value}", single_line=True))


def _show_value(rtype: str, name: str, value: Any, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return t("cli.yes") if value else t("cli.no")
    if isinstance(value, list):
        return ", ".join(
            f"{v['group']} {v['count'] if v['count'] is not None else ''}".strip()
            if isinstance(v, dict)
            else str(v)
            for v in value
        )
    rt = TYPES.get(rtype)
    if rt and rt.has(name) and rt.field(name).kind is Kind.CHOICE:
        return choice_label(rtype, name, value, lang)
    return str(value)


def print_export_log(store: Store, limit: int) -> None:
    """``trygg log --exports``: every file written, newest first."""
    logged = export_log.entries(store.conn, limit=limit)
    if not logged:
        echo(t("cli.exports.empty"))
        return
    for entry in logged:
        when_text = local_moment(entry.at)
        encryption = t(_ENCRYPTION_LABELS[entry.encryption.split(":")[0]])
        echo(
            printable(
                t(
                    "cli.exports.line",
                    when=when_text,
                    to=entry.recipient or t("cli.exports.anyone"),
                    profile=entry.profile,
                    personal=t("cli.exports.personal" if entry.personal else "cli.exports.core"),
                    encryption=encryption,
                    entries=entry.entries,
                    records=sum(entry.records.values()),
                ),
                single_line=True,
            )
        )
        echo(printable(f"  {entry.path}", single_line=True))
