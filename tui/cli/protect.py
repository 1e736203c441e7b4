"""The protecting parts of the ``trygg`` CLI: passphrases and keys for encrypted files,
and the ``peers`` group (fingerprints, ``trust``, ``forget``).

A passphrase comes from ``--passphrase-file``, else ``$TRYGG_PASSPHRASE``, else a hidden
prompt; it is never an option's value (it would land in the shell history and the process
list) and never stored.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from db.backup import manual_backup
from db.dates import local_moment
from db.errors import TryggError
from db.i18n import render
from db.protect import copies, doctor, gallring
from db.protect.encryption import Encryption, Unlock, passphrase_encryption
from db.protect.pinning import forget, own_keys, peer_key, trust
from db.protect.restore import restore
from db.records import POLIS, choice_label
from db.store import Store
from db.sync import export_log
from db.sync.exporter import peers, unconfirmed_entries
from db.textutil import printable
from tui.text import echo, language, progress, progress_paused, t, table, terminal

PASSPHRASE_ENV = "TRYGG_PASSPHRASE"
#: A yes typed at a question, in either language (anything else, Enter included, is no).
YES_ANSWERS = {"j", "ja", "y", "yes"}
_DOCTOR_LEVELS = {
    "error": "cli.doctor.error",
    "warning": "cli.doctor.warning",
    "info": "cli.doctor.info",
}
_ENCRYPTION_LABELS = {
    "none": "cli.exports.enc.none",
    "passphrase": "cli.exports.enc.passphrase",
    "recipients": "cli.exports.enc.recipients",
}
Opener = Callable[[click.Context, str | None], Store]


def encryption_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--encrypt``, ``--recipient`` (repeatable) and ``--passphrase-file``."""
    command = click.option(
        "--passphrase-file", type=click.Path(dir_okay=False), help=t("cli.opt.passphrase_file")
    )(command)
    command = click.option("--recipient", "recipients", multiple=True, help=t("cli.opt.recipient"))(
        command
    )
    return click.option("--encrypt", is_flag=True, help=t("cli.opt.encrypt"))(command)


def identity_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--identity KEYFILE``: an age key for files encrypted to it."""
    return click.option(
        "--identity", type=click.Path(dir_okay=False, exists=True), help=t("cli.opt.identity")
    )(command)


def unlock_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--passphrase-file`` and ``--identity`` for reading encrypted files."""
    command = identity_option(command)
    return click.option(
        "--passphrase-file", type=click.Path(dir_okay=False), help=t("cli.opt.passphrase_file")
    )(command)


def encryption_from(
    encrypt: bool, recipients: tuple[str, ...], passphrase_file: str | None
) -> Encryption | None:
    """The encryption the options ask for (a passphrase file alone means ``--encrypt``)."""
    if recipients:
        if encrypt:
            raise TryggError("encrypt.choose_one")
        return Encryption(recipients=list(recipients))
    if not (encrypt or passphrase_file):
        return None
    return passphrase_encryption(read_passphrase(passphrase_file, confirm=True))


def unlock_from(passphrase_file: str | None, identity: str | None) -> Unlock:
    """What may open encrypted files: identities from ``identity`` and a passphrase asked
    for only when a passphrase file actually arrives."""
    identities: list[str] = []
    if identity:
        text = Path(identity).read_text(encoding="utf-8", errors="replace")
        identities = [
            line.strip() for line in text.splitlines() if line.strip().startswith("AGE-SECRET-KEY-")
        ]
        if not identities:
            raise TryggError("decrypt.bad_identity")
    return Unlock(identities, lambda: read_passphrase(passphrase_file, confirm=False))


def read_passphrase(passphrase_file: str | None, *, confirm: bool) -> str:
    """The passphrase from the file, the environment, or a hidden prompt."""
    if passphrase_file:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise TryggError(
                "encrypt.passphrase_file", path=passphrase_file, reason=reason
            ) from None
        return text.splitlines()[0] if text.strip() else ""
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    try:
        # Piped input is not echoed anyway; getpass would only warn about it.
        with progress_paused():
            return click.prompt(
                t("cli.passphrase.prompt"),
                hide_input=sys.stdin.isatty(),
                confirmation_prompt=t("cli.passphrase.again") if confirm else False,
                err=True,
            )
    except click.Abort:
        raise TryggError("encrypt.no_passphrase") from None


def add_peers_commands(cli: click.Group, db_option: Callable, open_store: Opener) -> None:
    """Attach ``trygg peers`` with ``trust`` and ``forget``."""

    @cli.group(name="peers", invoke_without_command=True, help=t("cli.peers.help"))
    @db_option
    @click.pass_context
    def peers_command(ctx: click.Context, db: str | None) -> None:
        ctx.obj["peers_db"] = db
        if ctx.invoked_subcommand is not None:
            return
        with open_store(ctx, db) as store:
            mine = own_keys(store)
            echo(t("cli.peers.self", fingerprint=mine.fingerprint))
            echo(t("cli.peers.self_age", recipient=mine.age_recipient))
            known = peers(store)
            if not known:
                echo(t("cli.peers.empty"))
                return
            console = terminal()
            if console is not None:
                _peers_table(console, store, known)
                return
            for peer in known:
                _print_peer(store, peer)

    @peers_command.command(name="trust", help=t("cli.peers.trust.help"))
    @db_option
    @click.argument("device")
    @click.option("--fingerprint", help=t("cli.peers.trust.opt.fingerprint"))
    @click.option("--police", is_flag=True, help=t("cli.peers.trust.opt.police"))
    @click.pass_context
    def trust_command(
        ctx: click.Context, db: str | None, device: str, fingerprint: str | None, police: bool
    ) -> None:
        with open_store(ctx, db or ctx.obj.get("peers_db")) as store:
            key = trust(store, device, fingerprint, police=police)
        echo(
            printable(
                t("cli.peers.trusted", name=key.peer.name, fingerprint=key.fingerprint),
                single_line=True,
            )
        )
        if key.peer.police:
            echo(printable(t("cli.peers.police_confirmed", name=key.peer.name), single_line=True))

    @peers_command.command(name="forget", help=t("cli.peers.forget.help"))
    @db_option
    @click.argument("device")
    @click.pass_context
    def forget_command(ctx: click.Context, db: str | None, device: str) -> None:
        with open_store(ctx, db or ctx.obj.get("peers_db")) as store:
            peer = forget(store, device)
        echo(printable(t("cli.peers.forgotten", name=peer.name), single_line=True))


def _peers_table(console: Console, store: Store, known: list[Any]) -> None:
    """The colleagues as a rich table on a terminal; what needs doing about one of them
    (a refused key, a police claim, a new name) in lines below it."""
    lang = language()
    columns = (
        "cli.peers.col.name",
        "cli.peers.col.heard_sent",
        "cli.peers.col.unsent",
        "cli.peers.col.fingerprint",
    )
    rows = []
    for peer in known:
        key = peer_key(store, peer)
        checked = t("cli.peers.checked" if key.verified_at else "cli.peers.unchecked")
        org = choice_label("device", "org", peer.org, lang) if peer.org else "–"
        rows.append(
            [
                f"{peer.name}\n{org}",
                f"{_when(peer.last_heard)}\n{_when(peer.last_sent)}",
                unconfirmed_entries(store, peer),
                f"{key.fingerprint}\n{checked}" if key.fingerprint else "–",
            ]
        )
    header = [t(column) for column in columns]
    table(console, header, rows, right=(2,), whole=(1, 3))
    for peer in known:
        key = peer_key(store, peer)
        unchecked = key.fingerprint is not None and not key.verified_at
        notes = key.offered_fingerprint or key.offered_card or peer.police or peer.org == POLIS
        if not (unchecked or notes):
            continue
        echo(printable(f"{peer.name}:", single_line=True))
        if unchecked:
            echo(t("cli.peers.key", fingerprint=key.fingerprint, state=t("cli.peers.not_verified")))
        _print_peer_notes(peer, key)


def _print_peer(store: Store, peer: Any) -> None:
    lang = language()
    key = peer_key(store, peer)
    org = choice_label("device", "org", peer.org, lang) if peer.org else "–"
    echo(
        printable(
            t(
                "cli.peers.line",
                name=peer.name,
                org=org,
                heard=_when(peer.last_heard),
                sent=_when(peer.last_sent),
                unsent=unconfirmed_entries(store, peer),
                id=peer.id[:8],
            ),
            single_line=True,
        )
    )
    if key.fingerprint is None:
        echo(t("cli.peers.no_key"))
    else:
        state = "cli.peers.verified" if key.verified_at else "cli.peers.not_verified"
        echo(t("cli.peers.key", fingerprint=key.fingerprint, state=t(state)))
    _print_peer_notes(peer, key)


def _print_peer_notes(peer: Any, key: Any) -> None:
    """The lines about a colleague that ask for something: a refused key, a police claim
    not confirmed here, a new name in its own files."""
    lang = language()
    if key.offered_fingerprint:
        echo(
            printable(
                t("cli.peers.offered", fingerprint=key.offered_fingerprint, name=peer.name),
                single_line=True,
            )
        )
    if peer.police:
        echo(t("cli.peers.police", when=_when(key.police_confirmed_at)))
    elif peer.org == POLIS:
        echo(printable(t("cli.peers.police_unconfirmed", name=peer.name), single_line=True))
    if key.offered_card:
        offered = key.offered_card
        org = choice_label("device", "org", offered.org, lang) if offered.org else "–"
        echo(
            printable(
                t("cli.peers.card_offered", offered=offered.name, org=org, name=peer.name),
                single_line=True,
            )
        )


PathOf = Callable[[click.Context, str | None], Path]


def settle_whereabouts(store: Store, *, interactive: bool) -> None:
    """A database not where it recorded living (another machine, path or file) is asked
    once whether it was moved or is a copy. Without a person to ask (a script), it is
    taken for a copy and gets a new device identity: that never lets two databases speak
    with one voice, and loses nothing. ``trygg moved`` answers ahead of time."""
    change = copies.check(store)
    if change is None:
        return
    where = printable(change.before.path, single_line=True)
    answer = "k"
    if interactive:
        answer = click.prompt(
            printable(t("cli.copy.question", path=where), single_line=True),
            type=click.Choice(["f", "k"]),
            show_choices=True,
            err=True,
        )
    if answer == "f":
        copies.settle_moved(store)
        echo(t("cli.copy.moved"), err=True)
        return
    old, new = copies.settle_copy(store)
    key = "cli.copy.copied" if interactive else "cli.copy.copied_unasked"
    echo(printable(t(key, path=where, old=old[:8], new=new[:8])), err=True)


def add_protect_commands(
    cli: click.Group, db_option: Callable, open_store: Opener, path_of: PathOf
) -> None:
    """Attach ``gallra``, ``backup``, ``restore``, ``doctor`` and ``moved``."""

    @cli.command(name="moved", help=t("cli.moved.help"))
    @db_option
    @click.pass_context
    def moved_command(ctx: click.Context, db: str | None) -> None:
        with Store(path_of(ctx, db), create=False) as store:
            store.require_device()
            copies.settle_moved(store)
        echo(t("cli.copy.moved"))

    @cli.group(name="gallra", invoke_without_command=True, help=t("cli.gallra.help"))
    @db_option
    @click.option("--dry-run", is_flag=True, help=t("cli.gallra.opt.dry_run"))
    @click.option("--report", "report_id", help=t("cli.gallra.opt.report"))
    @click.pass_context
    def gallra_command(
        ctx: click.Context, db: str | None, dry_run: bool, report_id: str | None
    ) -> None:
        ctx.obj["gallra_db"] = db
        if ctx.invoked_subcommand is not None:
            return
        with open_store(ctx, db) as store, progress(t("cli.progress.gallring")):
            if report_id:
                summary = gallring.erase_now(store, report_id)
            else:
                summary = gallring.run(store, store.now().date(), dry_run=dry_run)
        _say_gallring(summary)

    @gallra_command.command(name="rule", help=t("cli.gallra.rule.help"))
    @db_option
    @click.option("--days", type=int, help=t("cli.gallra.rule.opt.days"))
    @click.option("--basis", help=t("cli.gallra.rule.opt.basis"))
    @click.pass_context
    def rule_command(
        ctx: click.Context, db: str | None, days: int | None, basis: str | None
    ) -> None:
        with open_store(ctx, db or ctx.obj.get("gallra_db")) as store:
            if days is None and basis is None:
                current = gallring.rule(store)
            else:
                current = gallring.set_rule(store, days, basis)
        echo(t("cli.gallra.rule", days=current.days))
        basis_text = current.basis or t("cli.gallra.no_basis")
        echo(printable(t("cli.gallra.basis", basis=basis_text)))

    @cli.command(name="backup", help=t("cli.backup.help"))
    @db_option
    @click.option("--out", type=click.Path(), help=t("cli.backup.opt.out"))
    @click.pass_context
    def backup_command(ctx: click.Context, db: str | None, out: str | None) -> None:
        with open_store(ctx, db) as store:
            written = manual_backup(store.conn, store.path, Path(out) if out else None)
        echo(printable(t("cli.backup.done", path=written)))

    @cli.command(name="restore", help=t("cli.restore.help"))
    @db_option
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help=t("cli.restore.opt.yes"))
    @click.pass_context
    def restore_command(ctx: click.Context, db: str | None, file: str, yes: bool) -> None:
        target = path_of(ctx, db)

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

    @cli.command(name="doctor", help=t("cli.doctor.help"))
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


def _when(iso: str | None) -> str:
    if not iso:
        return t("cli.peers.never")
    return local_moment(iso)
