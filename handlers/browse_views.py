"""Browse screens: applicant, then theme, then status, then a paginated list, edited in place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.views import (
    APPLICANTS,
    ODS,
    PAGE_SIZE,
    STATUS_CODES,
    STATUSES,
    Screen,
    code,
    describe,
    entry_button,
    list_data,
)
from knowledge import KnowledgeBase
from knowledge.schema import Applicant, Status

_DATA = re.compile(r"^br:(?P<step>[atsl])(?::(?P<a>[a-z]+|\*))?(?::(?P<t>\d{1,2}|\*))?"
                   r"(?::(?P<s>[a-z]{2}|\*))?(?::(?P<p>\d{1,4}))?$")
_STATUS_BY_CODE = {v: k for k, v in STATUS_CODES.items()}
_HOME = InlineKeyboardButton("🏠 Menú principal", callback_data="menu:home")


@dataclass(frozen=True)
class Selection:
    """Where the user is in the browse flow."""

    step: str
    applicant: Applicant | None = None
    theme: int | None = None
    status: Status | None = None
    page: int = 0


def parse(data: str) -> Selection | None:
    """Read browse callback data; None for anything malformed or out of range."""
    match = _DATA.match(data)
    if match is None:
        return None
    step, a, t, s, p = match.group("step", "a", "t", "s", "p")
    needed = {"a": (), "t": ("a",), "s": ("a", "t"), "l": ("a", "t", "s", "p")}[step]
    given = {k for k, v in zip("atsp", (a, t, s, p), strict=True) if v is not None}
    if given != set(needed):
        return None
    try:
        applicant = Applicant(a) if a not in (None, "*") else None
    except ValueError:
        return None
    theme = int(t) if t not in (None, "*") else None
    if theme is not None and theme not in ODS:
        return None
    if s not in (None, "*") and s not in _STATUS_BY_CODE:
        return None
    status = _STATUS_BY_CODE.get(s or "")
    return Selection(step, applicant, theme, status, int(p or 0))


def screen(base: KnowledgeBase, sel: Selection) -> Screen:
    """The screen for a browse step."""
    if sel.step == "a":
        return _applicants(base)
    if sel.step == "t":
        return _themes(base, sel)
    if sel.step == "s":
        return _statuses(base, sel)
    return _page(base, sel)


def _applicants(base: KnowledgeBase) -> Screen:
    counts = base.facets().applicants
    rows = [[InlineKeyboardButton(f"{APPLICANTS[a]} ({n})", callback_data=f"br:t:{code(a)}")]
            for a, n in counts.items()]
    rows.append([InlineKeyboardButton("Cualquiera", callback_data="br:t:*")])
    rows.append([_HOME])
    return ("📚 <b>Explorar fuentes de financiamiento</b>\n\n"
            "Paso 1 de 3: ¿quién solicitaría el apoyo?", InlineKeyboardMarkup(rows))


def _themes(base: KnowledgeBase, sel: Selection) -> Screen:
    counts = base.facets(applicant=sel.applicant).themes
    prefix = f"br:s:{code(sel.applicant)}"
    buttons = [InlineKeyboardButton(f"{n}. {ODS[n]} ({c})", callback_data=f"{prefix}:{n}")
               for n, c in counts.items()]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([InlineKeyboardButton("Cualquier tema", callback_data=f"{prefix}:*")])
    rows.append([InlineKeyboardButton("↩ Atrás", callback_data="br:a"), _HOME])
    return (f"📚 {describe(sel.applicant, None, None)}\n\n"
            "Paso 2 de 3: ¿sobre qué tema (Objetivo de Desarrollo Sostenible)?",
            InlineKeyboardMarkup(rows))


def _statuses(base: KnowledgeBase, sel: Selection) -> Screen:
    counts = base.facets(applicant=sel.applicant, theme=sel.theme).statuses
    rows = [[InlineKeyboardButton(f"{STATUSES[s][0]} {STATUSES[s][1]} ({n})",
                                  callback_data=list_data(sel.applicant, sel.theme, s, 0))]
            for s, n in counts.items()]
    rows.append([InlineKeyboardButton("Cualquier situación (todas las fuentes)",
                                      callback_data=list_data(sel.applicant, sel.theme, None, 0))])
    rows.append([InlineKeyboardButton("↩ Atrás", callback_data=f"br:t:{code(sel.applicant)}"),
                 _HOME])
    return (f"📚 {describe(sel.applicant, sel.theme, None)}\n\n"
            "Paso 3 de 3: ¿en qué situación está la convocatoria? (créditos, alianzas y "
            "referencias no son convocatorias: aparecen en «todas las fuentes»)",
            InlineKeyboardMarkup(rows))


def _page(base: KnowledgeBase, sel: Selection) -> Screen:
    found = base.browse(sel.applicant, sel.theme, sel.status)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(sel.page, pages - 1)
    rows = [[entry_button(e)] for e in found[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(
            "◀ Anterior", callback_data=list_data(sel.applicant, sel.theme, sel.status, page - 1)))
    if page < pages - 1:
        nav.append(InlineKeyboardButton(
            "Siguiente ▶", callback_data=list_data(sel.applicant, sel.theme, sel.status, page + 1)))
    if nav:
        rows.append(nav)
    back = f"br:s:{code(sel.applicant)}:{code(sel.theme)}"
    rows.append([InlineKeyboardButton("↩ Cambiar filtros", callback_data=back), _HOME])
    count = f"{len(found)} fuente{'s' if len(found) != 1 else ''}"
    text = (f"📚 {describe(sel.applicant, sel.theme, sel.status)}\n\n"
            f"<b>{count}</b> · página {page + 1} de {pages}. Toque una para ver el detalle.")
    if not found:
        text = (f"📚 {describe(sel.applicant, sel.theme, sel.status)}\n\n"
                "No hay fuentes con esos filtros. Pruebe con otros.")
    return text, InlineKeyboardMarkup(rows)
