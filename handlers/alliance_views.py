"""The alliance directory's home screen and opt-in form as HTML + keyboards."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import alliance_notices
from bot.alliance_contacts import DAILY_LIMIT, MESSAGE_MAX, Answered, Refusal
from bot.alliance_form import EXCHANGES, THEMES, FormView, Step
from bot.db.models import AllyProfile
from bot.signup import SECTORS
from handlers.views import ODS, Screen
from knowledge.geography import STATE_CODES

SEARCH = "as:m:_:_:_:_:0"
QUESTIONS = {
    Step.NAME: "¿Cuál es el <b>nombre de su organización o institución</b>?",
    Step.SECTOR: "¿A qué <b>sector</b> pertenece?",
    Step.STATE: "¿En qué <b>estado</b> trabaja? Escríbalo (por ejemplo «Oaxaca» o «CDMX»).",
    Step.MUNICIPALITY: "¿En qué <b>municipio o alcaldía</b>? (opcional)",
    Step.THEMES: "¿En qué <b>temas (ODS)</b> trabaja? Toque para marcar o desmarcar.",
    Step.OFFERS: "¿Qué <b>ofrece</b> a posibles aliados? Marque lo que aplique.",
    Step.SEEKS: "¿Qué <b>busca</b> en posibles aliados? Marque lo que aplique.",
    Step.DESCRIPTION: "Escriba una <b>descripción breve</b> de su trabajo (hasta 300 caracteres).",
    Step.CONSENT: (
        "🔒 <b>Antes de publicar</b>\n\n"
        "En el directorio será <b>público</b>: el nombre de su organización, sector, estado, "
        "municipio, temas, lo que ofrece y busca, y su descripción. Nunca mostramos su Telegram "
        "ni su correo.\n\n"
        "Si alguien le pide contacto y usted <b>acepta</b>, compartiremos con esa persona su "
        "usuario de Telegram (si tiene) y el correo de su registro (si lo dio), y usted "
        "recibirá los suyos.\n\n"
        "Puede salir del directorio cuando quiera con /aliados, o borrar todo con "
        "/borrar_mis_datos.\n\n¿Acepta publicar su perfil?"),
}


def home_screen(mine: AllyProfile | None) -> Screen:
    """What the directory is, and the user's own entry with its actions."""
    search = [InlineKeyboardButton("🔎 Buscar", callback_data=SEARCH)]
    text = ("🤝 <b>Plataforma de alianzas</b>\n\nEncuentre organizaciones, gobiernos y "
            "academia con quienes colaborar, y pídales contacto a través del bot.")
    if mine is None:
        return (text + "\n\nAún no está en el directorio.", InlineKeyboardMarkup([
            [InlineKeyboardButton("➕ Unirme al directorio", callback_data="ay:join")], search]))
    pause = (InlineKeyboardButton("⏸ Pausar solicitudes", callback_data="ay:pause")
             if mine.accepts_requests else
             InlineKeyboardButton("▶ Recibir solicitudes", callback_data="ay:resume"))
    status = "" if mine.accepts_requests else "\n\n⏸ Sus solicitudes de contacto están en pausa."
    return (f"{text}\n\n<b>Su perfil público:</b>\n{alliance_notices.card(mine)}{status}",
            InlineKeyboardMarkup([
                [InlineKeyboardButton("✏️ Actualizar mi perfil", callback_data="ay:join")],
                search, [pause],
                [InlineKeyboardButton("🚪 Salir del directorio", callback_data="ay:leave")]]))


def _button(text: str, step: Step, action: str, value: str = "") -> InlineKeyboardButton:
    data = f"ay:f:{step.value}:{action}" + (f":{value}" if value else "")
    return InlineKeyboardButton(text, callback_data=data)


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


def form_screen(view: FormView) -> Screen:
    """The current question of the directory form, with its error and buttons."""
    text = f"🤝 <b>Directorio de aliados</b>\n\n{QUESTIONS[view.step]}"
    if view.error:
        text = f"⚠️ {escape(view.error)}\n\n{text}"
    rows = _choices(view)
    if view.prefill:
        shown = SECTORS.get(view.prefill, view.prefill) if view.step is Step.SECTOR else \
            view.prefill
        rows.insert(0, [_button(f"✔ Usar: {shown[:40]}", view.step, "keep")])
    rows.append([InlineKeyboardButton("✖ Cancelar", callback_data="ay:cancel")])
    return text, InlineKeyboardMarkup(rows)


def _choices(view: FormView) -> list[list[InlineKeyboardButton]]:
    step = view.step
    if step is Step.SECTOR:
        return _pairs([_button(label, step, "pick", code) for code, label in SECTORS.items()])
    if step is Step.STATE:
        return [[_button(name, step, "pick", STATE_CODES[name])] for name in view.options]
    if step is Step.MUNICIPALITY:
        return [[_button("Omitir ▶", step, "skip")]]
    if step in (Step.THEMES, Step.OFFERS, Step.SEEKS):
        chosen = view.answers[step.value]
        items = ([(str(n), f"{n}. {ODS[n]}") for n in THEMES] if step is Step.THEMES
                 else list(EXCHANGES.items()))
        marks = {str(c) for c in chosen}
        rows = _pairs([_button(f"{'☑' if code in marks else '☐'} {label}", step, "toggle", code)
                       for code, label in items])
        return [*rows, [_button("Continuar ▶", step, "done")]]
    if step is Step.CONSENT:
        return [[_button("✅ Acepto publicarlo", step, "yes"), _button("❌ No, gracias", step,
                                                                       "no")]]
    return []


def saved(profile: AllyProfile) -> str:
    """After consent: the entry as others will see it."""
    return ("✅ <b>¡Listo! Su perfil ya está en el directorio.</b> Así lo verán los demás:\n\n"
            f"{alliance_notices.card(profile)}\n\nPuede actualizarlo o salir cuando quiera con "
            "/aliados.")


REFUSALS = {
    Refusal.NOT_LISTED: ("Para solicitar contacto, primero únase al directorio: así la otra "
                         "parte sabe quién le escribe. Use /aliados."),
    Refusal.GONE: "Ese perfil ya no está en el directorio.",
    Refusal.CLOSED: "Esta organización no está recibiendo solicitudes por ahora.",
    Refusal.PENDING: "Ya tiene una solicitud pendiente con esta organización. Espere su respuesta.",
    Refusal.LIMIT: (f"Ha enviado el máximo de {DAILY_LIMIT} solicitudes en 24 horas. Podrá "
                    "enviar más mañana. ¡Gracias por su paciencia!"),
}


def ask_message(target: AllyProfile) -> str:
    """Prompt for the message that goes with a contact request."""
    return (f"✉️ Escriba un mensaje breve para <b>{escape(target.name)}</b>: quién es y qué "
            f"propone (hasta {MESSAGE_MAX} caracteres). Lo enviaremos con su perfil público. "
            "Para no enviarlo, escriba /cancelar.")


def request_sent(target: AllyProfile) -> str:
    """After sending a request."""
    return (f"✅ Enviamos su solicitud a <b>{escape(target.name)}</b>. Le avisaremos por aquí "
            "cuando responda.")


def answered(done: Answered) -> str:
    """The request message after the user answered it."""
    who = alliance_notices.card(done.requester)
    if done.details is not None:
        return (f"{who}\n\n✅ <b>Aceptó la solicitud.</b> Sus datos de contacto:\n\n"
                f"{done.details}")
    if done.outcome == "blocked":
        return (f"{who}\n\n🚫 Bloqueó las solicitudes de esta organización. No compartimos "
                "ningún dato.")
    return f"{who}\n\nRechazó la solicitud. No compartimos ningún dato."
