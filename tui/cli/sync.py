"""The sync commands of the ``trygg`` CLI: export, import, sync, conflicts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from db.dates import moment_of_ms
from db.labels import label_of, value_text
from db.protect.encryption import Unlock
from db.records import KOMMUN, PROFILES, field_label, type_label
from db.reports import output_folder
from db.store import Store
from db.sync.exporter import ExportSummary, export_bundle, find_peer
from db.sync.import_notes import import_notes
from db.sync.mailbox import sync_folder
from db.sync.merge import ImportSummary, import_bundle
from db.textutil import printable
from tui.cli.common import command, db_option, group, open_store
from tui.cli.encryption import (
    encryption_from,
    encryption_options,
    identity_option,
    unlock_from,
    unlock_options,
)
from tui.text import echo, language, progress, t, table, terminal


@command("export", "cli.export.help")
@db_option
@click.option("--out", type=click.Path(), help="cli.export.opt.out")
@click.option("--to", "to", help="cli.export.opt.to")
@click.option("--full", is_flag=True, help="cli.export.opt.full")
@click.option("--profile", type=click.Choice(PROFILES), help="cli.export.opt.profile")
@encryption_options
@click.pass_context
def export_command(
    ctx: click.Context,
    db: str | None,
    out: str | None,
    to: str | None,
    full: bool,
    profile: str | None,
    encrypt: bool,
    recipients: tuple[str, ...],
    passphrase_file: str | None,
) -> None:
    if not to and not full:
        raise click.UsageError(t("cli.export.need_target"))
    with open_store(ctx, db) as store:
        peer = find_peer(store, to) if to else None
        encryption = encryption_from(encrypt, recipients, passphrase_file)
        target = Path(out) if out else output_folder(store)
        if not out:
            target.mkdir(parents=True, exist_ok=True)
        with progress(t("cli.progress.export")) as advance:
            summary = export_bundle(
                store,
                target,
                peer=peer,
                full=full,
                profile=profile,
                encryption=encryption,
                progress=advance,
            )
    _say_export(summary)


@command("import", "cli.import.help")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="cli.import.opt.dry_run")
@unlock_options
@click.pass_context
def import_command(
    ctx: click.Context,
    db: str | None,
    file: str,
    dry_run: bool,
    passphrase_file: str | None,
    identity: str | None,
) -> None:
    with open_store(ctx, db) as store:
        unlock = unlock_from(passphrase_file, identity)
        with progress(t("cli.progress.import")) as advance:
            summary = import_bundle(
                store, Path(file), dry_run=dry_run, unlock=unlock, progress=advance
            )
    _say_import(summary)


@command("sync", "cli.sync.help")
@db_option
@click.argument("folder", type=click.Path(file_okay=False))
@click.option(
    "--profile",
    type=click.Choice(PROFILES),
    default=KOMMUN,
    show_default=True,
    help="cli.sync.opt.profile",
)
@encryption_options
@identity_option
@click.pass_context
def sync_command(
    ctx: click.Context,
    db: str | None,
    folder: str,
    profile: str,
    encrypt: bool,
    recipients: tuple[str, ...],
    passphrase_file: str | None,
    identity: str | None,
) -> None:
    with open_store(ctx, db) as store:
        encryption = encryption_from(encrypt, recipients, passphrase_file)
        unlock = unlock_from(passphrase_file, identity)
        if encryption is not None and encryption.passphrase:
            unlock = Unlock(unlock.identities, lambda: encryption.passphrase)
        with progress(t("cli.progress.sync")):
            summary = sync_folder(
                store, Path(folder), profile=profile, encryption=encryption, unlock=unlock
            )
    for result in summary.imported:
        _say_import(result)
    for path, error in summary.failed:
        echo(
            printable(t("cli.sync.failed", path=path.name, reason=error.message(language()))),
            err=True,
        )
    if summary.sent is not None:
        _say_export(summary.sent)
    echo(
        t(
            "cli.sync.done",
            folder=printable(folder),
            files=len(summary.imported),
            already=len(summary.already),
            failed=len(summary.failed),
        )
    )
    if summary.failed:
        sys.exit(1)


@group("conflicts", "cli.conflicts.help", invoke_without_command=True)
@db_option
@click.pass_context
def conflicts_group(ctx: click.Context, db: str | None) -> None:
    ctx.obj["conflicts_db"] = db
    if ctx.invoked_subcommand is not None:
        return
    with open_store(ctx, db) as store:
        _print_conflicts(store)


@conflicts_group.command(name="resolve", help="cli.conflicts.resolve.help")
@db_option
@click.argument("conflict_id")
@click.option(
    "--keep",
    type=click.Choice(("winner", "other")),
    required=True,
    help="cli.conflicts.resolve.opt.keep",
)
@click.pass_context
def resolve_command(ctx: click.Context, db: str | None, conflict_id: str, keep: str) -> None:
    with open_store(ctx, db or ctx.obj.get("conflicts_db")) as store:
        copy = store.resolve_conflict(conflict_id, keep)
    echo(t("cli.conflicts.resolved"))
    if copy:
        echo(t("cli.conflicts.restored", id=copy))


def _say_export(summary: ExportSummary) -> None:
    lang = language()
    types = ", ".join(f"{type_label(k, lang).lower()} {v}" for k, v in summary.records.items())
    echo(
        printable(
            t(
                "cli.export.done",
                path=summary.path,
                entries=summary.entries,
                records=sum(summary.records.values()),
                types=types or "–",
                profile=summary.profile,
            )
        )
    )
    echo(t("cli.export.personal" if summary.personal else "cli.export.no_personal"))
    if summary.encryption == "passphrase":
        echo(t("cli.export.encrypted_passphrase"))
    elif summary.encryption.startswith("recipients:"):
        echo(t("cli.export.encrypted_recipients", count=summary.encryption.split(":")[1]))
    else:
        echo(t("cli.export.not_encrypted"))


def _say_import(summary: ImportSummary) -> None:
    sender = printable(summary.sender.name, single_line=True)
    if summary.dry_run:
        echo(t("cli.import.dry_run"))
    echo(
        t(
            "cli.import.done",
            sender=sender,
            new=summary.total_new_records,
            updated=summary.updated_fields,
            unchanged=summary.unchanged,
            conflicts=summary.new_conflicts,
        )
    )
    # The same notes, in the same order, as the receive screen (F9) gives.
    for note in import_notes(summary, language()):
        echo(t(f"cli.import.{note.kind}", **note.params))
    if summary.open_conflicts:
        echo(t("cli.import.conflicts_open", count=summary.open_conflicts))


def _print_conflicts(store: Store) -> None:
    lang = language()
    found = store.conflicts()
    if not found:
        echo(t("cli.conflicts.empty"))
        return
    console = terminal()
    if console is not None:
        columns = (
            "cli.conflicts.col.id",
            "cli.conflicts.col.record",
            "cli.conflicts.col.field",
            "cli.conflicts.col.shown",
            "cli.conflicts.col.other",
        )
        header = [t(column) for column in columns]
        rows = [
            [
                c.id[:8],
                label_of(store, c.rtype, c.record_id, lang),
                field_label(c.rtype, c.field, lang),
                _side(
                    t("cli.conflicts.deleted")
                    if c.winner_deletes
                    else _value(c.rtype, c.field, c.winner_value, lang),
                    c.winner_name,
                    c.winner.ms,
                ),
                _side(_value(c.rtype, c.field, c.loser_value, lang), c.loser_name, c.loser.ms),
            ]
            for c in found
        ]
        table(console, header, rows)
        return
    for c in found:
        echo(
            t(
                "cli.conflicts.line",
                id=c.id[:8],
                record=label_of(store, c.rtype, c.record_id, lang),
                field=field_label(c.rtype, c.field, lang),
            )
        )
        shown = (
            t("cli.conflicts.deleted")
            if c.winner_deletes
            else _value(c.rtype, c.field, c.winner_value, lang)
        )
        echo(
            printable(
                t(
                    "cli.conflicts.shown",
                    value=shown,
                    who=c.winner_name or "?",
                    when=_stamp_time(c.winner.ms),
                ),
                single_line=True,
            )
        )
        echo(
            printable(
                t(
                    "cli.conflicts.other",
                    value=_value(c.rtype, c.field, c.loser_value, lang),
                    who=c.loser_name or "?",
                    when=_stamp_time(c.loser.ms),
                ),
                single_line=True,
            )
        )


def _side(value: str, who: str | None, ms: int) -> str:
    """One side of a conflict in a table cell: the value, then who wrote it and when."""
    return f"{value}\n({who or '?'}, {_stamp_time(ms)})"


def _value(rtype: str, field: str, value: Any, lang: str) -> str:
    """A value as the app shows it (a choice by its label: "Åtgärdad", not "atgardad")."""
    if value is None:
        return "–"
    return value_text(rtype, field, value, lang) or "–"


def _stamp_time(ms: int) -> str:
    return moment_of_ms(ms)
