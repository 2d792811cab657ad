"""Markdown (knowledge entry bodies) to Telegram HTML, and splitting long HTML into messages."""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.token import Token

MESSAGE_LIMIT = 4096
_INLINE = {"strong": "b", "em": "i", "s": "s"}
_parser = MarkdownIt("commonmark").enable("strikethrough")


def markdown_to_html(source: str) -> str:
    """Render Markdown with the tags Telegram accepts (lists as bullets, headings as bold)."""
    blocks: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
    pending_item = ""
    heading = False
    for token in _parser.parse(source):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append([start] if token.type == "ordered_list_open" else [])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            indent = "  " * (len(lists) - 1)
            counter = lists[-1]
            if counter:
                pending_item = f"{indent}{counter[0]}. "
                counter[0] += 1
            else:
                pending_item = f"{indent}• "
        elif token.type == "inline":
            text = _inline(token.children or [])
            if heading:
                blocks.append(f"<b>{text}</b>")
                heading = False
            elif pending_item:
                blocks.append(pending_item + text)
                pending_item = ""
            elif blocks and lists:
                blocks[-1] += "\n" + text
            else:
                blocks.append(text)
        elif token.type == "heading_open":
            heading = True
        elif token.type in ("fence", "code_block"):
            blocks.append(f"<pre>{escape(token.content.rstrip(), quote=False)}</pre>")
        elif token.type == "hr":
            blocks.append("———")
    return _join(blocks)


def _join(blocks: list[str]) -> str:
    # Items of one list stay on consecutive lines; paragraphs are separated by a blank line.
    out: list[str] = []
    for block in blocks:
        if out and _is_item(block) and _is_item(out[-1].rsplit("\n", 1)[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out)


def _is_item(line: str) -> bool:
    line = line.lstrip()
    return line.startswith("• ") or line.partition(". ")[0].isdigit()


def _inline(children: list[Token]) -> str:
    out: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            out.append(escape(child.content, quote=False))
        elif kind == "code_inline":
            out.append(f"<code>{escape(child.content, quote=False)}</code>")
        elif kind in ("softbreak",):
            out.append(" ")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind.endswith("_open") and kind[:-5] in _INLINE:
            out.append(f"<{_INLINE[kind[:-5]]}>")
        elif kind.endswith("_close") and kind[:-6] in _INLINE:
            out.append(f"</{_INLINE[kind[:-6]]}>")
        elif kind == "link_open":
            out.append(f'<a href="{escape(str(child.attrGet("href") or ""))}">')
        elif kind == "link_close":
            out.append("</a>")
        elif kind == "html_inline":
            out.append(escape(child.content, quote=False))
    return "".join(out)


def split_html(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at paragraph (then line) boundaries so that every part fits in one message."""
    parts: list[str] = []
    current = ""
    for piece in _pieces(html, limit):
        candidate = f"{current}\n\n{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _pieces(html: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for paragraph in html.split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        # Lines inside one paragraph carry their own tags (list items), so they split safely.
        pieces.extend(line[:limit] for line in paragraph.split("\n"))
    return pieces
