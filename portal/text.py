"""What text people type may hold: names and titles that others see (guests too), descriptions.

Refused everywhere: C0 controls (NUL cannot even be stored), DEL, the C1 controls U+0080-U+009F,
and the invisible characters that reorder what a reader sees (bidirectional overrides, embeddings,
isolates and marks: "cut_v3\u202Egpj.exe" shows as "cut_v3exe.jpg"). A description may also
hold line breaks and tabs; a name or title may not.
"""
from __future__ import annotations

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\t")


def _kind(ch: str) -> str | None:
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "control character"
    if 0x80 <= code <= 0x9F:
        return "control character"
    if ch in BIDI_CONTROLS:
        return "character that reorders text (bidirectional control)"
    if ch in "\u2028\u2029":
        return "line or paragraph separator"
    return None


def problem(value: str, multiline: bool = False) -> str | None:
    """None when `value` may be stored and shown; else what is wrong with it, in a sentence."""
    for ch in value:
        if multiline and ch in LINE_BREAKS:
            continue
        kind = _kind(ch)
        if kind:
            allowed = " Line breaks and tabs are allowed." if multiline else ""
            return f"Must not contain a {kind} (U+{ord(ch):04X}).{allowed}"
    return None
