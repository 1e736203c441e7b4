"""Documents Trygg writes for people outside it: lists, protocols, statistics.

Shared here: where documents go by default, safe file names, Swedish Excel CSV and a
plain printable HTML page. Every writer writes atomically (a crash leaves no half file).
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import platformdirs

from db.files import atomic_file, write_failed
from db.i18n import msg
from db.store import Store
from db.textutil import printable

#: Setting holding the folder a user chose for documents.
OUTPUT_FOLDER = "output_folder"


def output_folder(store: Store) -> Path:
    """The folder documents go to: the user's choice, else ``~/Documents/Trygg``."""
    chosen = store.setting(OUTPUT_FOLDER)
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_documents_dir()) / "Trygg"


def safe_name(text: str, limit: int = 40) -> str:
    """A file-name fragment from user text: letters (å, ä, ö kept), digits and dashes."""
    words = re.findall(r"[^\W_]+", text or "")
    return "-".join(words)[:limit].strip("-") or "x"


def free_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2.suffix`` … when that exists already."""
    candidate = folder / f"{stem}{suffix}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def write_text(path: Path, text: str, *, encoding: str = "utf-8", private: bool = False) -> Path:
    """Write ``text`` to ``path`` atomically, creating the folder; clear errors. A
    ``private`` file (personal data) is readable by its owner only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, private=private) as tmp:
            tmp.write_text(text, encoding=encoding, newline="")
    except OSError as exc:
        raise write_failed(path, exc) from None
    return path


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV the way Swedish Excel opens it: semicolons, CRLF (the BOM is added on write).
    Cells that Excel would run as a formula (``=``, ``+``, ``-``, ``@``) get a leading ``'``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):  # no number to show: an empty cell, not "nan"
            return ""
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    text = printable(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def esc(value: object) -> str:
    """User text for HTML: escaped, control characters made visible, '–' for nothing."""
    if value is None or value == "":
        return "–"
    return html.escape(printable(value)).replace("\n", "<br>")


#: Characters Markdown would read as formatting, links or table borders inside a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: What would turn the start of a line into a heading, list, quote, rule or setext line.
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md(value: object) -> str:
    """User text for Markdown: one line, shown exactly as typed when rendered. Formatting
    characters are escaped, ``<`` and ``&`` become entities (so a ``<script>`` is text, not
    HTML), control and bidirectional characters are visible stand-ins, and '–' stands for
    nothing."""
    text = " ".join(printable(value).split())
    if not text:
        return "–"
    text = _MD_INLINE.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    # A numbered item is escaped after its digits ("1\\."): a digit cannot be escaped.
    return _MD_LINE_START.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], text)


def html_page(title: str, body: str, *, lang: str = "sv", banner: str | None = None) -> str:
    """A plain page that prints well on A4: black on white, a table with borders."""
    top = f'<p class="banner">{esc(banner)}</p>\n' if banner else ""
    # Page numbers on paper (CSS paged media: the browser's print counts the pages).
    page = json.dumps(msg("report.page", lang) + " ")
    of = json.dumps(" " + msg("report.page_of", lang) + " ")
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<style>
body {{ font-family: sans-serif; font-size: 11pt; margin: 2em; color: #000; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 13pt; margin-top: 1.5em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #444; padding: 4px 6px; text-align: left; vertical-align: top; }}
th {{ background: #eee; }}
.banner {{ font-weight: bold; letter-spacing: 0.1em; }}
.overdue {{ font-weight: bold; }}
.meta td {{ border: none; padding: 1px 8px 1px 0; }}
@media print {{ body {{ margin: 0; }} }}
@page {{ size: A4; margin: 18mm 15mm;
  @bottom-right {{ content: {page} counter(page) {of} counter(pages); font-size: 9pt; }} }}
</style>
</head>
<body>
{top}<h1>{esc(title)}</h1>
{body}
</body>
</html>
"""
