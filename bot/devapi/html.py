"""Parse Telegram HTML into plain text and entities, rejecting what Telegram rejects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTR = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}


class HtmlError(ValueError):
    """Text that Telegram would refuse with "can't parse entities"."""


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    entity: dict[str, Any]
    start: int
    byte_offset: int
    children: list[str] = field(default_factory=list)


def _unescape(chunk: str, byte_offset: int) -> str:
    out: list[str] = []
    pos = 0
    while True:
        amp = chunk.find("&", pos)
        if amp < 0:
            out.append(chunk[pos:])
            return "".join(out)
        out.append(chunk[pos:amp])
        match = _ENTITY.match(chunk, amp)
        if match is None:
            offset = byte_offset + len(chunk[:amp].encode())
            raise HtmlError(f"Can't find end of the entity starting at byte offset {offset}")
        name = match.group(1)
        if name.startswith("#x"):
            out.append(chr(int(name[2:], 16)))
        elif name.startswith("#"):
            out.append(chr(int(name[1:])))
        elif name in _NAMED:
            out.append(_NAMED[name])
        else:
            offset = byte_offset + len(chunk[:amp].encode())
            raise HtmlError(f'Unsupported HTML entity "&{name};" at byte offset {offset}')
        pos = match.end()


def _entity_for(tag: str, attrs: dict[str, str], offset: int) -> dict[str, Any]:
    if tag in _SIMPLE:
        entity: dict[str, Any] = {"type": _SIMPLE[tag]}
        if tag == "blockquote" and "expandable" in attrs:
            entity["type"] = "expandable_blockquote"
        return entity
    if tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise HtmlError(f'Unsupported start tag "span" at byte offset {offset}')
        return {"type": "spoiler"}
    if tag == "a":
        href = attrs.get("href", "")
        if not href:
            raise HtmlError(f'Can\'t parse entities: "a" tag without href at byte offset {offset}')
        return {"type": "text_link", "url": href}
    if tag == "tg-emoji":
        return {"type": "custom_emoji", "custom_emoji_id": attrs.get("emoji-id", "")}
    raise HtmlError(f'Unsupported start tag "{tag}" at byte offset {offset}')


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Return (text, entities) as Telegram would store them, or raise HtmlError."""
    text: list[str] = []
    length = 0  # UTF-16 length of the text so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    for match in _iter_tags(source):
        chunk = _unescape(source[pos : match.start()], len(source[:pos].encode()))
        text.append(chunk)
        length += utf16_len(chunk)
        pos = match.end()
        closing, tag, raw_attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
        byte_offset = len(source[: match.start()].encode())
        if closing:
            if not stack or stack[-1].tag != tag:
                raise HtmlError(
                    f'Unmatched end tag at byte offset {byte_offset}, expected "</'
                    f'{stack[-1].tag if stack else ""}>", found "</{tag}>"'
                )
            opened = stack.pop()
            if length > opened.start:
                opened.entity.update(offset=opened.start, length=length - opened.start)
                entities.append(opened.entity)
            continue
        if stack and stack[-1].tag in ("code", "pre") and not (
            stack[-1].tag == "pre" and tag == "code"
        ):
            raise HtmlError(f"Entities can't be nested inside {stack[-1].tag} at {byte_offset}")
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in
                 _ATTR.finditer(raw_attrs)}
        if re.search(r"\bexpandable\b", raw_attrs):
            attrs.setdefault("expandable", "")
        if tag == "code" and stack and stack[-1].tag == "pre":
            language = attrs.get("class", "").removeprefix("language-")
            if language:
                stack[-1].entity["language"] = language
            stack.append(_Open(tag, {"type": "_nested_code"}, length, byte_offset))
            continue
        stack.append(_Open(tag, _entity_for(tag, attrs, byte_offset), length, byte_offset))
    tail = _unescape(source[pos:], len(source[:pos].encode()))
    text.append(tail)
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    plain = "".join(text)
    kept = [e for e in entities if e["type"] != "_nested_code"]
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return plain, kept


def _iter_tags(source: str) -> list[re.Match[str]]:
    """Find tags; a bare '<' that starts no tag is an error, as in Telegram."""
    matches: list[re.Match[str]] = []
    pos = 0
    while True:
        lt = source.find("<", pos)
        if lt < 0:
            return matches
        match = _TAG.match(source, lt)
        if match is None:
            offset = len(source[:lt].encode())
            raise HtmlError(f"Unsupported start tag at byte offset {offset}: unescaped '<'")
        matches.append(match)
        pos = match.end()
