"""Protecting the records on this device: ``trygg gallra`` (erasing what is due, and the
rule), ``backup``, ``restore`` and ``doctor``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.backup import manual_backup
from db.i18n import render
from db.protect import doctor, gallring
from db.protect.restore import restore
from db.textutil import printable
from tui.cli.common import command, database_path, db_option, group, open_store
from tui.text import echo, language, progress, t

#: A yes typed at a question, in either language (anything else, Enter included, is no).
YES_ANSWERS = {"j", "ja", "y", "yes"}
_DOCTOR_LEVELS = {
    "error": "cli.doctor.error",
    "warning": "cli.doctor.warning",
    "info": "cli.doctor.info",
}


@group("gallra", "cli.gallra.help", invoke_without_command=True)
@db_option
@click.option("--dry-run", is_flag=True, help="cli.gallra.opt.dry_run")
@click.option("--report", "report_id", help="cli.gallra.opt.report")
@click.pass_context
def gallra_group(ctx: click.Context, db: str | None, dry_run: bool, report_id: str | None) -> None:
    ctx.obj["gallra_db"] = db
    if ctx.invoked_subcommand is not None:
        return
    with open_store(ctx, db) as store, progress(t("cli.progress.gallring")) as advance:
        if report_id:
            summary = gallring.erase_now(store, report_id, progress=advance)
        else:
            summary = gallring.run(store, store.now().date(), dry_run=dry_run, progress=advance)
    _say_gallring(summary)


@gallra_group.command(name="rule", help="cli.gallra.rule.help")
@db_option
@click.option("--days", type=int, help="cli.gallra.rule.opt.days")
@click.option("--basis", help="cli.gallra.rule.opt.basis")
@click.pass_context
def rule_command(ctx: click.Context, db: str | None, days: int | None, basis: str | None) -> None:
    with open_store(ctx, db or ctx.obj.get("gallra_db")) as store:
        if days is None and basis is None:
            current = gallring.rule(store)
        else:
            current = gallring.set_rule(store, days, basis)
    echo(t("cli.gallra.rule", days=current.days))
    basis_text = current.basis or t("cli.gallra.no_basis")
    echo(printable(t("cli.gallra.basis", basis=basis_text)))


@command("backup", "cli.backup.help")
@db_option
@click.option("--out", type=click.Path(), help="cli.backup.opt.out")
@click.pass_context
def backup_command(ctx: click.Context, db: str | None, out: str | None) -> None:
    with open_store(ctx, db) as store:
        written = manual_backup(store.conn, store.path, Path(out) if out else None)
    echo(printable(t("cli.backup.done", path=written)))


@command("restore", "cli.restore.help")
@db_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="cli.restore.opt.yes")
@click.pass_context
def restore_command(ctx: click.Context, db: str | None, file: str, yes: bool) -> None:
    target = database_path(ctx, db)

    def confirm() -> bool:
        if yes:
            return True
        question = printable(t("cli.restore.confirm", path=target, source=file))
        answer = click.prompt(question, default="", show_default=False, err=True)
        return answer.strip().casefold() in YES_ANSWERS

    summary = restore(target, Path(file), confirm=confirm)
    echo(printable(t("cli.restore.done", path=target, records=summary.records)))
    if summary.safety_copy:
        echo(printable(t("cli.restore.safety", path=summary.safety_copy)))
    echo(t("cli.restore.new_identity", old=summary.old_device[:8], new=summary.new_device[:8]))


@command("doctor", "cli.doctor.help")
@db_option
@click.pass_context
def doctor_command(ctx: click.Context, db: str | None) -> None:
    lang = language()
    with open_store(ctx, db) as store:
        found = doctor.check(store, store.now().date())
    for item in found:
        text = render("db", lang, item.key, **item.params)
        label = t(_DOCTOR_LEVELS[item.level])
        echo(printable(f"{label}  {text}", single_line=True))
    errors = sum(1 for f in found if f.level == doctor.ERROR)
    warnings = sum(1 for f in found if f.level == doctor.WARNING)
    echo(t("cli.doctor.summary", errors=errors, warnings=warnings))
    if errors:
        sys.exit(1)


def _say_gallring(summary: gallring.GallringSummary) -> None:
    if summary.cutoff:
        echo(t("cli.gallra.rule_line", days=summary.rule.days, cutoff=summary.cutoff))
    if summary.dry_run:
        echo(t("cli.gallra.dry_run", count=len(summary.due)))
        for report in summary.due:
            echo(t("cli.gallra.due_line", nr=report.nr or "–", date=report.date))
    elif not summary.due:
        echo(t("cli.gallra.nothing"))
    else:
        echo(t("cli.gallra.done", count=summary.erased))
        if summary.backups_scrubbed:
            echo(t("cli.gallra.backups", count=summary.backups_scrubbed))
        for path in summary.removed_files:
            echo(printable(t("cli.gallra.removed", path=path)))
    if summary.files_left:
        echo(t("cli.gallra.files_left", count=len(summary.files_left)))
        for path in summary.files_left:
            echo(printable(f"  {path}"))
