"""Browse callback data: one grammar to write and read it, with its bounds.

    br:a                                 who would apply
    br:t:<applicant>                     ODS theme
    br:e:<applicant>:<theme>:<page>      state of the Republic (a page of them)
    br:s:<applicant>:<theme>[:<STATE>]   call situation
    br:l:<applicant>:<theme>:<status>:<page>[:<STATE>]   a page of sources

'*' means any; no state means the whole country (so lists written before the state step,
and views.list_data, still read). States travel as their STATE_CODES ("OAX"), so the longest
data stays far below Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.views import ODS, STATUS_CODES, code, list_data
from knowledge.geography import STATE_CODES, STATES, state_from_code
from knowledge.schema import Applicant, Status

# States on one page of the state step, and how many pages that makes.
STATES_PER_PAGE = 12
STATE_PAGES = -(-len(STATES) // STATES_PER_PAGE)
# The last page of sources a button may ask for (100 pages of sources is far beyond the base).
LAST_PAGE = 99

_A = r"(?P<a>[a-z]{1,12}|\*)"
_T = r"(?P<t>\d{1,2}|\*)"
_S = r"(?P<s>[a-z]{2}|\*)"
_P = r"(?P<p>\d{1,4})"
_E = r"(?::(?P<e>[A-Z]{2,5}))?"
_STEPS = {
    "a": re.compile(r"^br:a$"),
    "t": re.compile(rf"^br:t:{_A}$"),
    "e": re.compile(rf"^br:e:{_A}:{_T}:{_P}$"),
    "s": re.compile(rf"^br:s:{_A}:{_T}{_E}$"),
    "l": re.compile(rf"^br:l:{_A}:{_T}:{_S}:{_P}{_E}$"),
}
# The highest page each step accepts.
_LAST = {"e": STATE_PAGES - 1, "l": LAST_PAGE}
_STATUS_BY_CODE = {v: k for k, v in STATUS_CODES.items()}


@dataclass(frozen=True)
class Selection:
    """Where the user is in the browse flow (page: of states on 'e', of sources on 'l')."""

    step: str
    applicant: Applicant | None = None
    theme: int | None = None
    status: Status | None = None
    page: int = 0
    state: str | None = None


def state_page(state: str | None) -> int:
    """The page of the state step that lists a state (the first for the whole country)."""
    return STATES.index(state) // STATES_PER_PAGE if state else 0


def encode(sel: Selection) -> str:
    """The callback data of a browse step (fields the step does not use are left out)."""
    a, t = code(sel.applicant), code(sel.theme)
    where = f":{STATE_CODES[sel.state]}" if sel.state else ""
    if sel.step == "a":
        return "br:a"
    if sel.step == "t":
        return f"br:t:{a}"
    if sel.step == "e":
        return f"br:e:{a}:{t}:{min(max(sel.page, 0), _LAST['e'])}"
    if sel.step == "s":
        return f"br:s:{a}:{t}{where}"
    return list_data(sel.applicant, sel.theme, sel.status,
                     min(max(sel.page, 0), _LAST["l"]), sel.state)


def parse(data: str) -> Selection | None:
    """Read browse callback data; None for anything malformed, unknown or out of range."""
    pattern = _STEPS.get(data[3:4]) if data.startswith("br:") else None
    match = pattern.match(data) if pattern else None
    if match is None:
        return None
    step, fields = data[3], match.groupdict()
    a, t, s, p, e = (fields.get(k) for k in "atspe")
    try:
        applicant = Applicant(a) if a not in (None, "*") else None
    except ValueError:
        return None
    theme = int(t) if t not in (None, "*") else None
    if theme is not None and theme not in ODS:
        return None
    if s not in (None, "*") and s not in _STATUS_BY_CODE:
        return None
    page = int(p or 0)
    if page > _LAST.get(step, 0):
        return None
    state = state_from_code(e) if e else None
    if e and state is None:
        return None
    return Selection(step, applicant, theme, _STATUS_BY_CODE.get(s or ""), page, state)
