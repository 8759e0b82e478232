"""Names, titles and descriptions holding characters a reader cannot see, as a careless or hostile
client types them."""
from __future__ import annotations

from support.harness.http import Exchange, PortalClient

# what a scenario calls a character -> the character
CHARACTERS = {
    "a right-to-left override": "\u202e",
    "a bidirectional isolate": "\u2066",
    "a C1 control character": "\u0085",
    "the first C1 control character": "\u0080",
    "the last C1 control character": "\u009f",
    "the last C0 control character": "\u001f",
    "the delete character": "\u007f",
    "a NUL character": "\u0000",
    "a line break": "\n",
}
# text in any script, accents and emoji: what people really type, and must be kept
ORDINARY = "Café — 港の光 ✨ Ølstrand’s “Final” cut"
# a description over several lines, with tabs, as people paste a shot list
SEVERAL_LINES = "Shot list:\n\t1. Harbour at dawn\r\n\t2. Lanterns on the quay"


def holding(character: str) -> str:
    """The text "Harbour<character>Lights", with the character a scenario names."""
    if character not in CHARACTERS:
        raise AssertionError(f"no such character in the harness: {character!r} (known: {', '.join(CHARACTERS)})")
    return f"Harbour{CHARACTERS[character]}Lights"


# what a scenario names -> how a client sends that text there
PLACES = {
    "a project's name": lambda c, project_id, text: c.post("/projects", json={"name": text}),
    "a milestone's title": lambda c, project_id, text: c.post(f"/projects/{project_id}/milestones", json={"title": text}),
    "a task's title": lambda c, project_id, text: c.post(f"/projects/{project_id}/tasks", json={"title": text}),
    "a task's description": lambda c, project_id, text: c.post(f"/projects/{project_id}/tasks",
                                                            json={"title": "Colour grade", "description": text}),
    "an API key's name": lambda c, project_id, text: c.post("/me/api-keys", json={"name": text}),
}
NO_PROJECT_NEEDED = frozenset({"an API key's name"})


def attempt_text(client: PortalClient, project_id: int, place: str, character: str | None,
                 text: str | None = None) -> Exchange:
    """`text` (or "Harbour<character>Lights", or ORDINARY) typed into `place`."""
    if place not in PLACES:
        raise AssertionError(f"no such place for text in the harness: {place!r} (known: {', '.join(PLACES)})")
    if text is None:
        text = ORDINARY if character is None else holding(character)
    return PLACES[place](client, project_id, text)


def kept_as_typed(exchange: Exchange, text: str = ORDINARY) -> bool:
    return text in exchange.json().values()
