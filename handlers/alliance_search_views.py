"""Directory search: filters chosen one at a time and paginated results, edited in place."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import alliance_notices
from bot.alliance_form import EXCHANGES, THEMES
from bot.alliances import Filters, Page
from bot.signup import SECTORS
from handlers.views import ODS, Screen, short
from knowledge.geography import STATE_CODES, state_from_code

ANY = "_"
_DATA = re.compile(r"^as:(?P<view>[mstcxl]):(?P<st>[A-Z]{2,5}|_):(?P<th>\d{1,2}|_):"
                   r"(?P<se>[a-z]{2,10}|_):(?P<ex>[os][a-z]{3}|_):(?P<page>\d{1,4})$")
_HOME = InlineKeyboardButton("🏠 Menú principal", callback_data="menu:home")
_SIDES = {"o": "Ofrece", "s": "Busca"}


@dataclass(frozen=True)
class Search:
    """The screen asked for, the filters so far and the results page."""

    view: str
    filters: Filters
    page: int = 0

    def data(self, view: str, page: int = 0, changes: dict[str, Any] | None = None) -> str:
        """Callback data for another screen of this search, some filters changed."""
        f = replace(self.filters, **(changes or {}))
        state = STATE_CODES[f.state] if f.state else ANY
        theme = str(f.theme) if f.theme else ANY
        exchange = f.exchange.replace("-", "") if f.exchange else ANY
        return f"as:{view}:{state}:{theme}:{f.sector or ANY}:{exchange}:{page}"


def parse(data: str) -> Search | None:
    """Read search callback data; None for anything malformed or unknown."""
    match = _DATA.match(data)
    if match is None:
        return None
    view, st, th, se, ex, page = match.group("view", "st", "th", "se", "ex", "page")
    state = state_from_code(st) if st != ANY else None
    theme = int(th) if th != ANY else None
    if (st != ANY and state is None) or (theme is not None and theme not in THEMES) \
            or (se != ANY and se not in SECTORS) or (ex != ANY and ex[1:] not in EXCHANGES):
        return None
    exchange = f"{ex[0]}-{ex[1:]}" if ex != ANY else None
    return Search(view, Filters(state, theme, se if se != ANY else None, exchange), int(page))


def _describe(f: Filters) -> str:
    parts = [f.state or "todos los estados",
             f"ODS {f.theme}. {ODS[f.theme]}" if f.theme else "todos los temas",
             SECTORS[f.sector] if f.sector else "todos los sectores"]
    if f.exchange:
        side, _, code = f.exchange.partition("-")
        parts.append(f"{_SIDES[side].lower()} {EXCHANGES[code]}")
    return " · ".join(parts)


def filters_screen(s: Search) -> Screen:
    """The filters chosen so far, each one a button to change it."""
    f = s.filters
    exchange = "Todo"
    if f.exchange:
        side, _, code = f.exchange.partition("-")
        exchange = f"{_SIDES[side]} {EXCHANGES[code]}"
    rows = [[InlineKeyboardButton(f"📍 Estado: {f.state or 'Todos'}", callback_data=s.data("s"))],
            [InlineKeyboardButton(f"🎯 Tema: {f'ODS {f.theme}' if f.theme else 'Todos'}",
                                  callback_data=s.data("t"))],
            [InlineKeyboardButton(f"🏛 Sector: {SECTORS[f.sector] if f.sector else 'Todos'}",
                                  callback_data=s.data("c"))],
            [InlineKeyboardButton(f"🔁 Ofrece/busca: {exchange}", callback_data=s.data("x"))],
            [InlineKeyboardButton("🔎 Ver resultados", callback_data=s.data("l"))], [_HOME]]
    return (f"🔎 <b>Buscar aliados</b>\n\nFiltros: {_describe(f)}\n\n"
            "Toque un filtro para cambiarlo, o vea los resultados.", InlineKeyboardMarkup(rows))


def picker_screen(s: Search) -> Screen:
    """The values of one filter; choosing one goes back to the filters."""
    options: list[tuple[str, dict[str, Any]]]
    if s.view == "s":
        title, field = "¿En qué estado?", "state"
        options = [(name, {"state": name}) for name in STATE_CODES]
    elif s.view == "t":
        title, field = "¿Sobre qué tema (ODS)?", "theme"
        options = [(f"{n}. {ODS[n]}", {"theme": n}) for n in THEMES]
    elif s.view == "c":
        title, field = "¿De qué sector?", "sector"
        options = [(label, {"sector": code}) for code, label in SECTORS.items()]
    else:
        title, field = "¿Qué ofrece o busca?", "exchange"
        options = [(f"{_SIDES[side]} {label}", {"exchange": f"{side}-{code}"})
                   for code, label in EXCHANGES.items() for side in _SIDES]
    buttons = [InlineKeyboardButton(label, callback_data=s.data("m", changes=change))
               for label, change in options]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    anything = s.data("m", changes={field: None})
    rows.append([InlineKeyboardButton("Cualquiera", callback_data=anything),
                 InlineKeyboardButton("↩ Atrás", callback_data=s.data("m"))])
    return f"🔎 <b>Buscar aliados</b>\n\n{title}", InlineKeyboardMarkup(rows)


def results_screen(s: Search, found: Page) -> Screen:
    """One page of public profiles, each with a button to ask for contact."""
    rows = [[InlineKeyboardButton(short(f"✉️ Solicitar contacto: {p.name}"),
                                  callback_data=f"ac:req:{p.id}")] for p in found.profiles]
    nav = []
    if found.page > 0:
        nav.append(InlineKeyboardButton("◀ Anterior", callback_data=s.data("l", found.page - 1)))
    if found.page < found.pages - 1:
        nav.append(InlineKeyboardButton("Siguiente ▶", callback_data=s.data("l", found.page + 1)))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("↩ Cambiar filtros", callback_data=s.data("m")), _HOME])
    head = f"🔎 <b>Aliados</b> · {_describe(s.filters)}\n\n"
    if not found.total:
        return head + "No encontramos perfiles con esos filtros. Pruebe con otros.", \
            InlineKeyboardMarkup(rows)
    cards = "\n\n".join(alliance_notices.card(p) for p in found.profiles)
    return (f"{head}<b>{found.total}</b> resultado{'s' if found.total != 1 else ''} · página "
            f"{found.page + 1} de {found.pages}\n\n{cards}", InlineKeyboardMarkup(rows))
