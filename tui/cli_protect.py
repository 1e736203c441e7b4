"""The protecting parts of the ``trygg`` CLI: passphrases and keys for encrypted files,
and the ``peers`` group (fingerprints, ``trust``, ``forget``).

A passphrase comes from ``--passphrase-file``, else ``$TRYGG_PASSPHRASE``, else a hidden
prompt; it is never an option's value (it would land in the shell history and the process
list) and never stored.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from db.errors import TryggError
from db.protect.encryption import Encryption, Unlock
from db.protect.pinning import forget, own_keys, peer_key, trust
from db.records import choice_label
from db.store import Store
from db.sync.exporter import peers
from db.textutil import printable
from tui.text import language, t

PASSPHRASE_ENV = "TRYGG_PASSPHRASE"
MIN_PASSPHRASE = 8
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


def unlock_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--passphrase-file`` and ``--identity`` for reading encrypted files."""
    command = click.option(
        "--identity", type=click.Path(dir_okay=False, exists=True), help=t("cli.opt.identity")
    )(command)
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
    secret = read_passphrase(passphrase_file, confirm=True)
    if len(secret) < MIN_PASSPHRASE:
        raise TryggError("encrypt.passphrase_short", min=MIN_PASSPHRASE)
    return Encryption(passphrase=secret)


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
        return click.prompt(
            t("cli.passphrase.prompt"),
            hide_input=True,
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
            click.echo(t("cli.peers.self", fingerprint=mine.fingerprint))
            click.echo(t("cli.peers.self_age", recipient=mine.age_recipient))
            known = peers(store)
            if not known:
                click.echo(t("cli.peers.empty"))
                return
            for peer in known:
                _print_peer(store, peer)

    @peers_command.command(name="trust", help=t("cli.peers.trust.help"))
    @db_option
    @click.argument("device")
    @click.option("--fingerprint", help=t("cli.peers.trust.opt.fingerprint"))
    @click.pass_context
    def trust_command(
        ctx: click.Context, db: str | None, device: str, fingerprint: str | None
    ) -> None:
        with open_store(ctx, db or ctx.obj.get("peers_db")) as store:
            key = trust(store, device, fingerprint)
        click.echo(
            printable(
                t("cli.peers.trusted", name=key.peer.name, fingerprint=key.fingerprint),
                single_line=True,
            )
        )

    @peers_command.command(name="forget", help=t("cli.peers.forget.help"))
    @db_option
    @click.argument("device")
    @click.pass_context
    def forget_command(ctx: click.Context, db: str | None, device: str) -> None:
        with open_store(ctx, db or ctx.obj.get("peers_db")) as store:
            peer = forget(store, device)
        click.echo(printable(t("cli.peers.forgotten", name=peer.name), single_line=True))


def _print_peer(store: Store, peer: Any) -> None:
    from tui.cli_sync import unconfirmed, when  # the sync CLI owns these formats

    lang = language()
    key = peer_key(store, peer)
    org = choice_label("device", "org", peer.org, lang) if peer.org else "–"
    click.echo(
        printable(
            t(
                "cli.peers.line",
                name=peer.name,
                org=org,
                heard=when(peer.last_heard),
                sent=when(peer.last_sent),
                unsent=unconfirmed(store, peer.declared),
                id=peer.id[:8],
            ),
            single_line=True,
        )
    )
    if key.fingerprint is None:
        click.echo(t("cli.peers.no_key"))
    else:
        state = "cli.peers.verified" if key.verified_at else "cli.peers.not_verified"
        click.echo(t("cli.peers.key", fingerprint=key.fingerprint, state=t(state)))
    if key.offered_fingerprint:
        click.echo(
            printable(
                t("cli.peers.offered", fingerprint=key.offered_fingerprint, name=peer.name),
                single_line=True,
            )
        )
