"""``trygg records export`` and ``trygg records import``: records as JSON Lines (or CSV,
TSV, JSON in) for other programs and for bulk entry."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from db.files import atomic_file
from db.interchange import RecordsImportFailed, export_records, import_records
from db.records import TYPE_NAMES
from db.store import Store
from db.textutil import printable
from tui.cli.common import db_option, fail, group, open_store
from tui.text import echo, language, progress, t


@group("records", "cli.records.help")
def records_group() -> None:
    pass


@records_group.command(name="export", help="cli.records.export.help")
@db_option
@click.option(
    "--type",
    "types",
    type=click.Choice(TYPE_NAMES),
    multiple=True,
    help="cli.records.opt.type",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    help="cli.records.export.opt.out",
)
@click.pass_context
def records_export(
    ctx: click.Context, db: str | None, types: tuple[str, ...], out: str | None
) -> None:
    with open_store(ctx, db, need_device=False) as store:
        if out:
            counts = _export_atomically(store, Path(out), types)
            echo(t("cli.records.export.done", count=sum(counts.values()), path=out), err=True)
        else:
            export_records(store, sys.stdout, types or None)


@records_group.command(name="import", help="cli.records.import.help")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--type", "rtype", type=click.Choice(TYPE_NAMES), help="cli.records.opt.type")
@click.pass_context
def records_import(ctx: click.Context, db: str | None, file: str, rtype: str | None) -> None:
    with open_store(ctx, db) as store:
        try:
            with progress(t("cli.progress.records_import")) as advance:
                summary = import_records(store, Path(file), rtype, progress=advance)
        except RecordsImportFailed as failure:
            for problem in failure.problems:
                echo(printable(problem.message(language())), err=True)
            fail(failure.message(language()))
    echo(
        t(
            "cli.records.import.done",
            created=summary.total_created,
            updated=summary.total_updated,
            unchanged=summary.unchanged,
        )
    )
    if summary.skipped_deleted:
        echo(t("cli.records.import.skipped_deleted", count=summary.skipped_deleted))


def _export_atomically(store: Store, out: Path, types: Sequence[str]) -> dict[str, int]:
    """Write the export beside ``out`` and rename it into place, so a full disk or an
    interruption never leaves a half file under the real name."""
    with (
        atomic_file(out) as tmp,
        tmp.open("w", encoding="utf-8", newline="\n") as handle,
        progress(t("cli.progress.records_export")) as advance,
    ):
        return export_records(store, handle, types or None, progress=advance)
