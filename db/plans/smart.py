"""Gentle SMART hints on operational goals (Brå's handbook, seed 003: Specifika, Mätbara,
Accepterade/Avgränsade, Realistiska, Tidsatta). Hints, never refusals: a goal with no
number, no time or no place is flagged, and so is a vague verb ("verka för", "värna om").

"Minska antalet brott" gets every hint; the handbook's last example ("… cykelparkeringen
vid järnvägsstationen. De uppgick under år 2016 till 100 stycken och ska under år 2017
minska med minst 10 stycken.") gets none. Swedish first; common English words count too.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(
    r"\d|\b(en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|hälften|halvera|fördubbla|"
    r"procent|one|two|three|four|five|ten|half|double|percent)\b"
)
_TIME = re.compile(
    r"\b(19|20)\d\d\b|\b\d{1,2}/\d{1,2}\b|\b(senast|före|inom|under året|i år|nästa år|"
    r"årligen|varje|per|vecka|veckan|månad|månaden|kvartal|kvartalet|halvår|halvåret|"
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|"
    r"december|sommaren|hösten|våren|vintern|by|within|before|until|every|year|month|week|"
    r"quarter)\b"
)
_PLACE = re.compile(
    r"\b(vid|på|utanför|kring|runt|längs|inom|i|at|on|in|around)\s+[\wåäö-]{3,}|"
    r"\w*(torget|stationen|gatan|vägen|parken|centrum|skolan|skolor|området|gården|"
    r"parkeringen|krogar|krogen|restauranger|stadsdelen|kvarteret)\b"
)
_VAGUE = re.compile(r"\b(verka för|värna om|sträva efter|work towards|strive)\b")
#: Words after "i"/"in" that name a time, not a place ("i år", "in 2017").
_NOT_PLACE = re.compile(r"\b(i|in|inom)\s+(år|året|månaden|veckan|tid|\d)")


def smart_hints(goal: str | None) -> list[str]:
    """Message keys of the hints for ``goal`` (empty when it looks SMART, or is empty)."""
    text = " ".join((goal or "").lower().split())
    if not text:
        return []
    hints = []
    if not _NUMBER.search(text):
        hints.append("smart.no_number")
    if not _TIME.search(text):
        hints.append("smart.no_time")
    places = [m for m in _PLACE.finditer(text) if not _NOT_PLACE.match(text, m.start())]
    if not places:
        hints.append("smart.no_place")
    if _VAGUE.search(text):
        hints.append("smart.vague_verb")
    return hints
