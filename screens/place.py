"""Plats: everything at one place and around it — its safety-walk findings open and
fixed, its quick reports per quarter with the share intoxicated and taken into custody,
and the measures taken there with their lights and progress. Where the place lies is
given here too (degrees, a map link or SWEREF 99 TM), shown back before it is saved."""

from __future__ import annotations

from typing import Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from db.coordinates import (
    CoordinateError,
    LatLon,
    format_distance,
    format_latlon,
    format_sweref,
    read_coordinates,
    stored,
)
from db.i18n import msg
from db.lagesbild.place import (
    RADII,
    FindingLine,
    PlacePicture,
    PlaceRef,
    find_places,
    place_of_record,
    place_picture,
)
from db.places import place_id_for, position_words
from db.records import choice_label
from db.reports.lagesbild import percent as percent_text
from db.store import Store
from db.textutil import printable
from screens.widgets.base import DataChanged, TryggAppLike, TryggScreen
from screens.widgets.dialogs import ConfirmModal, KeyChoiceModal, TextPrompt
from screens.widgets.footer import Footer
from screens.widgets.tables import row_under_cursor
from screens.widgets.text import plain

LIGHT_STYLE = {"gron": "bold green", "gul": "bold yellow", "rod": "bold red"}
SECTION = "section:"
#: The middle column is cut to this many characters, so the state stays in view at 80×24.
TEXT_WIDTH = 40


def light_cell(rating: str | None, lang: str | None) -> Text:
    """ "● Grön" in its colour, readable without colour too; "○ –" without a light."""
    if not rating:
        return Text("○ –", style="dim")
    return Text("● " + choice_label("followup", "rating", rating, lang), style=LIGHT_STYLE[rating])


class PlaceScreen(TryggScreen):
    """One place: findings, quick reports per quarter and measures, near and around."""

    DEFAULT_CSS = """
    PlaceScreen #place-head {
        height: auto; max-height: 4; margin: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    PlaceScreen #place-table { height: 1fr; }
    PlaceScreen #place-detail { height: 2; margin: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "key.back", tooltip="key.back.tooltip",
                id="place_back"),
        Binding("enter", "open", "key.open", tooltip="key.place_open.tooltip", id="place_open"),
        Binding("r", "radius", "key.radius", tooltip="key.radius.tooltip", id="place_radius"),
        # Asks a question: priority, so what is typed with it is the answer.
        Binding("k", "coordinates", "key.coordinates", tooltip="key.coordinates.tooltip",
                id="place_coordinates", priority=True),
    ]  # fmt: skip

    def __init__(self, ref: PlaceRef, *, radius: int = RADII[1]) -> None:
        super().__init__()
        self.ref = ref
        self.radius = radius
        self.picture: PlacePicture | None = None
        self._records: dict[str, tuple[str, str]] = {}  # row key -> (type, id)
        self._details: dict[str, Text] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="place-head", markup=False)
        yield DataTable(id="place-table", cursor_type="row")
        yield Static(id="place-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.t("app.title")
        table = self.query_one(DataTable)
        for key in ("what", "text", "state"):
            table.add_column(self.t(f"place.col.{key}"), key=key)
        table.focus()
        self.reload()

    @on(DataChanged)
    def show_changed_data(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.returned_to():
            self.reload()

    def reload(self) -> None:
        ref, radius, today = self.ref, self.radius, self.trygg.store.now().date()

        def look(store: Store) -> PlacePicture:
            return place_picture(store, ref, today, radius=radius)

        self.trygg.in_thread(look, self._show)

    # -- showing -------------------------------------------------------------------

    def _show(self, picture: PlacePicture) -> None:
        if not self.is_mounted:
            return
        self.picture = picture
        lang = self.lang
        name = ", ".join(p for p in (picture.ref.name, picture.ref.kommun) if p)
        self.sub_title = printable(self.t("place.title", name=name), single_line=True)
        self._show_head(picture, name)
        table = self.query_one(DataTable)
        keep = row_under_cursor(table)
        table.clear()
        self._records, self._details = {}, {}
        opened = picture.open_findings
        fixed = [f for f in picture.findings if f.status == "atgardad" and not f.positive]
        self._section("findings", self.t("place.findings", open=len(opened), fixed=len(fixed)))
        for line in picture.findings:
            self._finding(line)
        if not picture.findings:
            self._note("no_findings", self.t("place.no_findings"))
        self._section("reports", self.t("place.quarters", count=picture.reports))
        for q in picture.quarters:
            key = f"quarter:{q.period.start}"
            table.add_row(
                plain(self.t("place.quarter", n=(q.period.start.month - 1) // 3 + 1,
                             year=q.period.start.year)),
                Text(self.t("place.quarter_line", reports=q.reports,
                            drunk=percent_text(q.drunk, q.reports))),
                Text(self.t("place.quarter_custody", custody=q.custody)),
                key=key,
            )  # fmt: skip
            self._details[key] = Text(
                self.t("place.quarter_detail", start=str(q.period.start), end=str(q.period.end),
                       drunk=q.drunk, custody=q.custody,
                       custody_share=percent_text(q.custody, q.reports))
            )  # fmt: skip
        self._section("measures", self.t("place.measures", count=len(picture.measures)))
        for m in picture.measures:
            p = m.progress
            done = f"{p.done}/{p.expected}" if p.expected else str(p.done)
            state = light_cell(m.light, lang)
            state.append(f"  {done}", style="bold red" if p.behind else "")
            table.add_row(
                Text(""), plain(_cut(m.activity, TEXT_WIDTH)), state, key=f"measure:{m.id}"
            )
            self._records[f"measure:{m.id}"] = ("measure", m.id)
            words = [m.activity]
            if m.light_period:
                words.append(self.t("place.light_of", period=m.light_period))
            if m.status:
                words.append(choice_label("measure", "status", m.status, lang))
            self._details[f"measure:{m.id}"] = plain(" · ".join(words))
        if not picture.measures:
            self._note("no_measures", self.t("place.no_measures"))
        if keep and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep))
        else:
            first = next((k for k in self._records), None)
            if first:
                table.move_cursor(row=table.get_row_index(first))
        self._show_detail(row_under_cursor(table))

    def _show_head(self, picture: PlacePicture, name: str) -> None:
        """Four lines, each cut to the width: the name; where it lies; what lies around
        it; what happened there."""
        lines = [plain(name, style="bold")]
        if picture.point is not None:
            lines.append(
                Text(
                    msg(
                        "coords.shown",
                        self.lang,
                        degrees=format_latlon(picture.point),
                        grid=format_sweref(picture.point),
                    )
                )
            )
            if picture.nearby:
                around = ", ".join(
                    f"{p['name']} ({format_distance(metres)})" for p, metres in picture.nearby
                )
                lines.append(plain(self.t("place.nearby", radius=self.radius, places=around)))
            else:
                lines.append(Text(self.t("place.nothing_near", radius=self.radius), style="dim"))
        else:
            lines.append(Text(self.t("place.no_coords"), style="italic"))
        opened = picture.open_findings
        lines.append(
            Text(
                self.t(
                    "place.summary",
                    open=len(opened),
                    overdue=sum(1 for f in opened if f.overdue),
                    reports=picture.reports,
                    quarters=len(picture.quarters),
                    measures=len(picture.measures),
                )
            )
        )
        head = Text("\n").join(lines)
        head.no_wrap = True
        head.overflow = "ellipsis"
        self.query_one("#place-head", Static).update(head)

    def _section(self, key: str, title: str) -> None:
        self.query_one(DataTable).add_row(
            Text("▸", style="bold"), Text(title, style="bold reverse"), Text(""),
            key=f"{SECTION}{key}",
        )  # fmt: skip

    def _note(self, key: str, text: str) -> None:
        self.query_one(DataTable).add_row(Text(""), Text(text, style="dim"), Text(""),
                                          key=f"note:{key}")  # fmt: skip

    def _finding(self, line: FindingLine) -> None:
        lang = self.lang
        # Where, when it is not the place itself: another place around it, or how far.
        where = ""
        if line.place and _fold(line.place) != _fold(self.ref.name):
            where = line.place
        if line.metres is not None:
            distance = format_distance(line.metres)
            where = f"{where}, {distance}" if where else distance
        tail = f" – {where}" if where else ""
        remark = _cut(line.remark, max(TEXT_WIDTH - len(tail), 12))
        text = plain(remark)
        if tail:
            text.append_text(plain(_cut(tail, TEXT_WIDTH - len(remark)), style="dim"))
        if line.positive:
            state = Text(self.t("place.positive"), style="green")
        elif line.overdue:
            state = Text(self.t("place.overdue"), style="bold red")
        else:
            state = Text(choice_label("finding", "status", line.status or "ny", lang))
        key = f"finding:{line.id}"
        self.query_one(DataTable).add_row(
            Text(str(line.nr or ""), justify="right"), text, state, key=key
        )
        self._records[key] = ("finding", line.id)
        facts = [
            choice_label("finding", "status", line.status or "ny", lang)
            if not line.positive
            else "",
            self.t("place.walk", area=line.walk_area, date=line.walk_date),
            choice_label("finding", "category", line.category, lang) if line.category else "",
            self.t("place.due", date=line.due_date) if line.due_date and line.is_open else "",
            self.t("place.fixed", date=line.fixed_date) if line.fixed_date else "",
        ]
        self._details[key] = plain(" · ".join(f for f in facts if f))

    def _show_detail(self, key: str | None) -> None:
        self.query_one("#place-detail", Static).update(
            self._details.get(key or "", Text(self.t("place.keys"), style="dim"))
        )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.row_key.value if event.row_key else None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    # -- actions -------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the finding (its form) or the measure (its plan) under the cursor."""
        from screens.widgets.navigate import open_record

        key = row_under_cursor(self.query_one(DataTable))
        record = self._records.get(key or "")
        if record is not None:
            open_record(self.app, self.trygg.store, *record)

    def action_radius(self) -> None:
        """Look wider around the place (100, 200, 500, 1000 m, then round again)."""
        self.radius = RADII[(RADII.index(self.radius) + 1) % len(RADII)] if (
            self.radius in RADII) else RADII[1]  # fmt: skip
        self.app.notify(self.t("place.radius_now", radius=self.radius), timeout=3)
        self.reload()

    def action_coordinates(self) -> None:
        """Where the place lies, as people have it; shown back (with the nearest known
        place) before it is saved."""
        point = self.picture.point if self.picture else None
        current = format_latlon(point) if point else ""

        def typed(text: str | None) -> None:
            if text is None or not text.strip():
                return
            try:
                where = read_coordinates(text)
            except CoordinateError as error:
                self.app.notify(error.message(self.lang), severity="error", markup=False)
                return
            store = self.trygg.store
            words = position_words(store, where, self.lang, exclude=self.ref.place_id)

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._save_position(where)

            question = self.t("place.coords_confirm", name=self.ref.name, position=words)
            self.app.push_screen(ConfirmModal(question), confirmed)

        question = self.t("place.coords_question", name=self.ref.name)
        self.app.push_screen(
            TextPrompt(question, current, self.t("place.coords_placeholder")), typed
        )

    def _save_position(self, where: LatLon) -> None:
        store = self.trygg.store
        with store.transaction():
            place_id = self.ref.place_id or place_id_for(store, self.ref.name, self.ref.kommun)
            store.update("place", place_id, stored(where))
        self.ref = PlaceRef(place_id, self.ref.name, self.ref.kommun)
        self.app.notify(self.t("place.coords_saved", name=self.ref.name), markup=False)
        self.reload()


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def open_place_of(screen: Any, rtype: str, record_id: str | None) -> None:
    """Open the place of a record (the key on the lists); say so when it names none."""
    if not record_id:
        return
    ref = place_of_record(screen.trygg.store, rtype, record_id)
    if ref is None:
        screen.app.notify(screen.t("place.none"), severity="warning")
        return
    screen.app.push_screen(PlaceScreen(ref))


def search_place(screen: Screen[Any], kommun: str | None = None) -> None:
    """Ask for a few letters of a place's name and open it (a choice when several), over
    ``screen``, whichever screen is showing."""
    trygg = cast(TryggAppLike, screen.app)

    def typed(text: str | None) -> None:
        if not text or not text.strip():
            return
        found = find_places(trygg.store, text, kommun)
        if not found:
            screen.app.notify(trygg.t("place.not_found", text=text.strip()), markup=False)
        elif len(found) == 1:
            screen.app.push_screen(PlaceScreen(found[0]))
        else:
            shown = found[:9]
            options = [
                (
                    str(i),
                    str(i),
                    printable(", ".join(p for p in (ref.name, ref.kommun) if p), single_line=True),
                )
                for i, ref in enumerate(shown, start=1)
            ]

            def chosen(code: str | None) -> None:
                if code:
                    screen.app.push_screen(PlaceScreen(shown[int(code) - 1]))

            question = trygg.t("place.which", count=len(found))
            screen.app.push_screen(KeyChoiceModal(question, options), chosen)

    screen.app.push_screen(
        TextPrompt(trygg.t("place.search_question"), placeholder=trygg.t("place.search_hint")),
        typed,
    )
