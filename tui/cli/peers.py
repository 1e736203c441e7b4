"""``trygg peers``: this device's fingerprint and the colleagues it exchanges files with,
and ``peers trust`` / ``peers forget``."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console

from db.dates import local_moment
from db.protect.pinning import forget, own_keys, peer_key, trust
from db.records import POLIS, choice_label
from db.store import Store
from db.sync.exporter import peers, unconfirmed_entries
from db.textutil import printable
from tui.cli.common import db_option, group, open_store
from tui.text import echo, language, t, table, terminal


@group("peers", "cli.peers.help", invoke_without_command=True)
@db_option
@click.pass_context
def peers_group(ctx: click.Context, db: str | None) -> None:
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


@peers_group.command(name="trust", help="cli.peers.trust.help")
@db_option
@click.argument("device")
@click.option("--fingerprint", help="cli.peers.trust.opt.fingerprint")
@click.option("--police", is_flag=True, help="cli.peers.trust.opt.police")
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


@peers_group.command(name="forget", help="cli.peers.forget.help")
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


def _when(iso: str | None) -> str:
    if not iso:
        return t("cli.peers.never")
    return local_moment(iso)
