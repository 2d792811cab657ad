"""What the fuzz campaign's users type, send and press (see bot/devapi/fuzz.py)."""

from __future__ import annotations

import random
import string
from typing import Any

CYCLE = """
id: ciclo-fuzz
title: "Conversatorios de prueba"
organizers: [Secretaría de Ejemplo]
audience: [osc, municipio]
timezone: America/Mexico_City
sessions:
  - id: s1
    title: "Primera sesión"
    start: 2040-03-05T10:00
    duration_minutes: 120
    join_url: https://example.org/sala-1
    capacity: 5
  - id: s2
    title: "Segunda sesión"
    start: 2040-03-12T10:00
    duration_minutes: 90
    join_url: https://example.org/sala-2
"""

QUESTIONS = [
    "q es la amexcid y q hace",
    "hay alguna ley en mexico que regule la cooperacion internacional?",
    "sigue existiendo el programa de coinversion social?",
    "fondos para municipios sobre agua en Oaxaca",
    "¿qué convocatorias están abiertas?",
    "¿y de cuánto es el apoyo?",
    "cómo aplico",
    "becas para estudiar en el extranjero",
    "necesito un préstamo para mi negocio",
    "hola",
    "gracias!!",
    "quiero hablar con una persona",
    "¿la fundación Zzyzx da donativos?",
    "apoyos de la unión europea para osc en chiapas",
    "que es la cooperacion sur sur",
    "fondos para mujeres indígenas",
    "¿cuánto cuesta un taco?",
    "convocatoria 2026 medio ambiente",
    "USAID",
    "marco lógico",
]

HOSTILE = [
    "\u202efondos para osc\u202c",
    "f\u200bo\u200cn\u200dd\ufeffo\u2060s",
    "Z̷̢͚a̴̛l̶̨g̵̡o̸ de fondos",
    "👩‍👩‍👧‍👦🏳️‍🌈🇲🇽" * 20,
    "ｆｏｎｄｏｓ　ｐａｒａ　ＯＳＣ",
    "𝕱𝖔𝖓𝖉𝖔𝖘 𝖕𝖆𝖗𝖆 𝕺𝕾𝕮",
    "línea\u2028otra\u2029y otra\r\n\tfin",
    "\x07\x1b[31mrojo\x1b[0m\x08",
    "'; DROP TABLE users; --",
    "%s %(name)s {0} {name} %n",
    "ǅ ß ﬁ İı Ⅻ ¿¡ ñÑ",
    "ا لتمويل للمنظمات",
    " ",
    "…" * 500,
    "\U0010ffff\ue000",
]

HTML = [
    "<b>negrita</b> fondos",
    "</code><script>alert(1)</script>",
    "<a href='javascript:alert(1)'>fondos</a>",
    "&lt;&amp;&gt; &bogus; &#0; &#x110000;",
    "<i>sin cerrar",
    "<tg-spoiler>x</tg-spoiler> <blockquote expandable>",
    "¿fondos <u>para</u> OSC?",
    "<pre><code class=\"language-x\">",
    "<<>>&&\"'",
]

COMMANDS = [
    "/start", "/START", "/ayuda", "/help", "/cancelar", "/cancel", "/registro extra texto",
    "/mis_registros", "/mis_datos", "/recordatorios", "/alertas", "/aliados", "/constancia",
    "/asistencia", "/asistencia 😀", "/asistencia ABC123", "/verificar",
    "/verificar XXXX-YYYY-ZZZZ", "/borrar_mis_datos", "/", "/comando_raro",
    "/start@CooperaBot", "/start@OtroBot", "/mis_datos@CooperaBot extra", "/" + "a" * 40,
    "/ayuda <b>", "/registro\u202e",
]

STAFF_COMMANDS = [
    "/pendientes", "/recargar", "/inscritos", "/sesiones", "/difundir", "/codigo",
    "/codigo s1", "/marcar 123 s1", "/importar_asistencia", "/enviar_constancias",
    "/aliados_stats",
]

STAFF_BUTTONS = ("bc:", "st:", "se:", "ax:")

_DATA = [
    "kb:fb:{n}:1", "kb:fb:{big}:0", "kb:s:{n}:{d}", "kb:e:{slug}", "kb:f:{slug}", "kb:msg",
    "mr:cancel:{n}", "mr:cancel!:{n}", "mr:ics:{n}", "mr:keep", "rm:on", "rm:off",
    "rg:confirm:{n}", "rg:sector:osc", "rg:cancel", "rg:notice", "rg:state:pick:ZZ",
    "ev:reg:{slug}", "al:t:a:{word}", "al:x:{slug}", "al:v:themes", "al:f:{slug}",
    "al:w:{slug}", "al:m:{slug}", "br:{junk}", "br:s:{n}", "pd:keep", "ay:f:{word}:{word}",
    "ay:join", "ac:yes:{n}", "ac:req:{n}", "as:{junk}", "ct:ok:{slug}", "ct:fix:{slug}",
    "menu:home", "menu:mine", "menu:browse", "menu:alerts", "menu:allies", "menu:events",
    "bc:send", "bc:stop:{n}", "bc:t:all:-", "st:exp:csv:all", "st:exp:xlsx:{n}",
    "se:edit:{n}", "se:new:ciclo-fuzz", "se:f:{n}:capacity", "ax:csv",
    "{junk}", "{unicode}",
]


def _junk(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(string.printable.strip()) for _ in range(size))


def forged_data(rng: random.Random) -> str:
    """Callback data no button of the bot carried (1 to 64 bytes, as Telegram allows)."""
    data = rng.choice(_DATA).format(
        n=rng.choice([0, 1, 2, 7, 999_999_999, rng.randrange(10**9)]),
        big=rng.choice([2**62, 2**63 + 5, 10**19 - 1]), d=rng.randrange(10),
        slug=rng.choice(["amexcid", "no-existe", "a" * 58, "ciclo-fuzz"]),
        word=rng.choice(["osc", "x", "zz"]), junk=_junk(rng, rng.randrange(1, 60)),
        unicode=rng.choice(["ñ" * 32, "👍" * 16, "\u202e:kb"]))
    while len(data.encode()) > 64:
        data = data[:-1]
    return data or "x"


def long_text(rng: random.Random) -> str:
    """A text over Telegram's 4096 characters (a forwarded or pasted document)."""
    size = rng.randrange(4097, 9000)
    words: list[str] = []
    while sum(map(len, words)) + len(words) < size:
        words.append(rng.choice([*QUESTIONS, *HTML, *HOSTILE[:6]]))
    return " ".join(words)[:size]


def deep_link(rng: random.Random) -> str:
    """/start with a payload, as a t.me link delivers it (valid, stale or forged)."""
    return "/start " + rng.choice([
        "registro", "registro_ciclo-fuzz_s1", "registro_ciclo-fuzz_s9", "registro_x_y",
        "registro_" + "a" * 200, "verificar_" + _junk(rng, 12), "verificar_ABCD2345EFGH",
        "inicio", _junk(rng, 64), "../../etc/passwd", "%00", "registro__", "verificar_",
    ])


def media(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A message of some kind other than text (the fields Telegram always sends)."""
    file = {"file_id": f"F{rng.randrange(10**6)}", "file_unique_id": f"U{rng.randrange(10**6)}"}
    kinds: dict[str, dict[str, Any]] = {
        "sticker": {"sticker": file | {"type": "regular", "width": 512, "height": 512,
                                       "is_animated": False, "is_video": False}},
        "photo": {"photo": [file | {"width": 90, "height": 90}], "caption": "mira <b>esto</b>"},
        "voice": {"voice": file | {"duration": 3}},
        "video": {"video": file | {"width": 640, "height": 360, "duration": 4}},
        "animation": {"animation": file | {"width": 320, "height": 240, "duration": 2}},
        "audio": {"audio": file | {"duration": 180}},
        "video_note": {"video_note": file | {"length": 240, "duration": 5}},
        "location": {"location": {"latitude": 17.06, "longitude": -96.72}},
        "venue": {"location": {"latitude": 19.43, "longitude": -99.13},
                  "venue": {"location": {"latitude": 19.43, "longitude": -99.13},
                            "title": "Zócalo", "address": "Centro, CDMX"}},
        "contact": {"contact": {"phone_number": "+5215512345678", "first_name": "Tía"}},
        "dice": {"dice": {"emoji": "🎲", "value": rng.randrange(1, 7)}},
        "poll": {"poll": {"id": str(rng.randrange(10**9)), "question": "¿Vamos?",
                          "options": [{"persistent_id": "0", "text": "Sí", "voter_count": 0},
                                      {"persistent_id": "1", "text": "No", "voter_count": 0}],
                          "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
                          "type": "regular", "allows_multiple_answers": False,
                          "allows_revoting": False, "members_only": False}},
        "document": {},
    }
    kind = rng.choice(list(kinds))
    return kind, kinds[kind]


def marker(user_id: int) -> str:
    """A word only this user's personal data contains (letters only: names refuse digits)."""
    return "zq" + str(user_id).translate(str.maketrans("0123456789", "abcdefghij")) + "x"


# What a registrant types for each question of the form; None: they press a button.
_FORM = [
    ("Revise su registro", None), ("Aviso de privacidad", None), ("sesiones", None),
    ("CLUNI", None), ("sector", None), ("municipio", "{town}"), ("estado", "{state}"),
    ("organización o institución", "Colectivo {Marker} A.C."),
    ("correo electrónico", "{marker}@ejemplo.org"), ("nombre completo", "Ana {Marker} López"),
]
_PREFERRED = ("Acepto", "Confirmar", "Todo el ciclo", "Omitir", "OSC", "Municipio")


def form_answer(prompt: str, word: str, rng: random.Random) -> str | None:
    """The registrant's answer to the form's prompt (None: press a button)."""
    if rng.random() < 0.08:
        return rng.choice([*HOSTILE, *HTML, "/cancelar", "no sé", "12345"])
    for shown, answer in _FORM:
        if shown in prompt:
            if answer is None:
                return None
            return answer.format(
                Marker=word.capitalize(), marker=word,
                town=rng.choice(["Mérida", "Oaxaca de Juárez", "Tlalpan", "Xyz"]),
                state=rng.choice(["yucatan", "Oaxaca", "edomex", "CDMX", "Texas", "Guerrero"]))
    return None


def form_button(buttons: list[dict[str, Any]], rng: random.Random) -> str:
    """The data of the button a registrant presses: usually the one that moves on."""
    pressable = [b for b in buttons if "callback_data" in b]
    preferred = [b for b in pressable if b["text"].startswith(_PREFERRED)]
    chosen = rng.choice(preferred if preferred and rng.random() < 0.8 else pressable)
    return str(chosen["callback_data"])


def group_text(rng: random.Random, username: str, word: str) -> tuple[str, bool]:
    """A message in a group, and whether it is addressed to the bot."""
    addressed = [
        "/mis_datos", "/registro", "/start", f"/start@{username}", "/mis_registros",
        "/verificar ABCD-2345-EFGH", "/pendientes", "/inscritos", "/borrar_mis_datos",
        f"@{username} ¿qué fondos hay para OSC?",
        f"@{username} mi correo es {word}@ejemplo.org", "/ayuda", "/alertas",
    ]
    chatter = [
        "hola a todos", f"mi correo es {word}@ejemplo.org", "/ayuda@OtroBot",
        "¿alguien sabe de fondos?", *HOSTILE[:4], f"Ana {word.capitalize()} López aquí",
    ]
    if rng.random() < 0.6:
        return rng.choice(addressed), True
    return rng.choice(chatter), False
