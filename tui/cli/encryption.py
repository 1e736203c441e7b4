"""Passphrases and keys for encrypted files, as options of the commands that write and
read them (``export``, ``import``, ``sync``).

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

from db.errors import TryggError
from db.protect.encryption import Encryption, Unlock, passphrase_encryption
from tui.text import progress_paused, t

PASSPHRASE_ENV = "TRYGG_PASSPHRASE"


def encryption_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--encrypt``, ``--recipient`` (repeatable) and ``--passphrase-file``."""
    command = click.option(
        "--passphrase-file", type=click.Path(dir_okay=False), help="cli.opt.passphrase_file"
    )(command)
    command = click.option("--recipient", "recipients", multiple=True, help="cli.opt.recipient")(
        command
    )
    return click.option("--encrypt", is_flag=True, help="cli.opt.encrypt")(command)


def identity_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--identity KEYFILE``: an age key for files encrypted to it."""
    return click.option(
        "--identity", type=click.Path(dir_okay=False, exists=True), help="cli.opt.identity"
    )(command)


def unlock_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--passphrase-file`` and ``--identity`` for reading encrypted files."""
    command = identity_option(command)
    return click.option(
        "--passphrase-file", type=click.Path(dir_okay=False), help="cli.opt.passphrase_file"
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
