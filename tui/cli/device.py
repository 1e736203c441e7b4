"""Setting up the database of this device: ``trygg init``, ``trygg demo`` (a fresh demo
database, then the app on it) and ``trygg moved`` (this database was moved, not copied)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from db.database import resolve_path
from db.demo import build_demo, demo_plan_files, is_demo_database
from db.errors import TryggError
from db.protect import copies
from db.records import ORGANISATIONS, choice_label
from db.store import Store
from db.textutil import printable
from tui.cli import common
from tui.cli.common import command, database_path, db_option
from tui.text import echo, language, t

DEMO_FILE_NAME = "trygg-demo.db"


@command("init", "cli.init.help")
@db_option
@click.option("--name", required=True, help="cli.init.opt.name")
@click.option("--kommun", required=True, help="cli.init.opt.kommun")
@click.option("--org", type=click.Choice(ORGANISATIONS), required=True, help="cli.init.opt.org")
@click.pass_context
def init_command(ctx: click.Context, db: str | None, name: str, kommun: str, org: str) -> None:
    path = database_path(ctx, db)
    existed = path.exists()
    with Store(path, create=True) as store:
        if store.device is not None:
            raise TryggError("device.already_set_up", path=str(path))
        try:
            device = store.set_up_device(name, org, kommun)
        except TryggError:
            if not existed:
                store.close()
                _remove_database(path)
            raise
    echo(
        t(
            "cli.init.done",
            path=printable(path),
            name=printable(device.name),
            org=choice_label("device", "org", org, language()),
            kommun=printable(device.kommun or ""),
        )
    )


@command("demo", "cli.demo.help")
@db_option
@click.option("--no-tui", is_flag=True, help="cli.demo.opt.no_tui")
@click.pass_context
def demo_command(ctx: click.Context, db: str | None, no_tui: bool) -> None:
    chosen = db or ctx.obj.get("db")
    path = Path(chosen) if chosen else resolve_path(None).parent / DEMO_FILE_NAME
    _clear_demo_file(path)
    with Store(path, create=True) as store:
        store.set_up_device(t("cli.demo.device_name"), "polis", "Lycksele")
        build_demo(store)
    echo(t("cli.demo.done", path=printable(path)))
    try:
        plan_file = demo_plan_files(path.parent)[0]
        echo(t("cli.demo.plan_file", path=printable(plan_file)))
    except (OSError, TryggError):
        pass  # the demo works without the file to import
    if not no_tui:
        common.run_app(path)


@command("moved", "cli.moved.help")
@db_option
@click.pass_context
def moved_command(ctx: click.Context, db: str | None) -> None:
    with Store(database_path(ctx, db), create=False) as store:
        store.require_device()
        copies.settle_moved(store)
    echo(t("cli.copy.moved"))


def _clear_demo_file(path: Path) -> None:
    """Remove an earlier demo database at ``path``; refuse to touch anything else."""
    if not path.exists():
        return
    if not is_demo_database(path):
        raise TryggError("db.demo_refused", path=str(path))
    _remove_database(path)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()
