"""The shape of a scenario's state: one small typed object per domain (a "scene").

A scene is a dataclass with slots, so a misspelt attribute fails at once, whether written
(`AttributeError`) or read; and a field the scenario has not set yet fails when read, with a
sentence a QA engineer can act on, instead of reading `None` and failing three steps later:

    @scene
    class SharingScene(Scene):
        link: Link = unset("share link", "share the cut first")
        links: list[Link] = field(default_factory=list)

Fields with a default (an empty list, a flag) read as that default.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


def scene(cls):
    """Make `cls` (a subclass of Scene) a slotted dataclass that reports only what is set."""
    return dataclass(slots=True, repr=False)(cls)


def unset(what: str, hint: str = ""):
    """A field the scenario must set before reading it: `what` names it in the failure message."""
    return field(init=False, metadata={"what": what, "hint": hint})


class Scene:
    __slots__ = ()

    def __getattr__(self, name: str):
        # only reached when normal lookup failed: a field not set yet, or a name that is no field
        known = {f.name: f for f in fields(self)} if hasattr(self, "__dataclass_fields__") else {}
        if name in known:
            meta = known[name].metadata
            what = meta.get("what") or name.replace("_", " ")
            hint = f": {meta['hint']}" if meta.get("hint") else ""
            raise AssertionError(f"this scenario has no {what} yet{hint} (a step reads it before any step set it)")
        raise AttributeError(f"{type(self).__name__} has no {name!r} (known: {', '.join(known) or 'none'})")

    def has(self, name: str) -> bool:
        """Whether the field has been set (fields with a default always have)."""
        try:
            object.__getattribute__(self, name)
        except AttributeError:
            return False
        return True

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if self.has(f.name))
        return f"{type(self).__name__}({shown})"


__all__ = ["Scene", "scene", "unset"]
