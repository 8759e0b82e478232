"""The projects driver: cuts arranged in the database, and the projects API as owners use it."""
from __future__ import annotations

from dataclasses import dataclass

from support.data import factories
from support.data.personas import Organisation
from support.evidence import attachments
from support.harness.expect import answered
from support.harness.http import Exchange, PortalClient


@dataclass(frozen=True)
class Cut:
    """A video asset of one organisation, as the scenario knows it."""
    id: int
    project_id: int
    title: str
    version: int
    playback_id: str | None       # Mux's signed playback id, once Mux has reported the cut ready
    organisation: str
    public_id: str = ""           # the portal's public id of the cut (Mux's `passthrough`)
    data_residency: str = "anywhere"


def arrange_cut(world, org: Organisation, title: str, version: int = 1, data_residency: str = "anywhere") -> Cut:
    """A cut Mux has processed, in a project of its own, written straight to the database."""
    row = factories.create_project_with_asset(world.db, world.tenant_written(org), org, world.suffix,
                                              f"{title} ({world.suffix})", title, version,
                                              data_residency=data_residency)
    world.tenant_is(org, row.pop("tenant_id"))
    cut = Cut(**row, organisation=org.name)
    world.projects.cuts[title] = cut
    world.projects.cut = cut
    return cut


def the_cut(world, title: str | None = None) -> Cut:
    """The cut a step speaks of: by title, else the one arranged last."""
    if title is None:
        return world.projects.cut
    cuts = world.projects.cuts
    if title not in cuts:
        raise AssertionError(f"no cut called {title!r} in this scenario (known: {', '.join(cuts) or 'none'})")
    return cuts[title]


# -- the projects API ---------------------------------------------------------------------------

def attempt_create_project(client: PortalClient, name: str) -> Exchange:
    return client.post("/projects", json={"name": name})


def upload_request(title: str, version: int, **changes) -> dict:
    """What a producer's browser asks for when they upload a cut (the file goes to Mux itself)."""
    return {"title": title, "version": version, "file_name": f"{title.lower().replace(' ', '-')}-v{version}.mov",
            "size_bytes": 4_831_838_208, "content_type": "video/quicktime", **changes}


def attempt_add_cut(client: PortalClient, project_id: int, title: str, version: int, **changes) -> Exchange:
    return client.post(f"/projects/{project_id}/assets", json=upload_request(title, version, **changes))


def list_projects(client: PortalClient) -> Exchange:
    return client.get("/projects")


def read_project(client: PortalClient, project_id: int | str) -> Exchange:
    return client.get(f"/projects/{project_id}")


def list_cuts(client: PortalClient, project_id: int | str) -> Exchange:
    return client.get(f"/projects/{project_id}/assets")


def read_cut(client: PortalClient, cut_id: int | str) -> Exchange:
    return client.get(f"/assets/{cut_id}")


def attempt_delete_cut(client: PortalClient, cut_id: int | str) -> Exchange:
    return client.request("DELETE", f"/assets/{cut_id}")


def attempt_delete_project(client: PortalClient, project_id: int | str) -> Exchange:
    return client.request("DELETE", f"/projects/{project_id}")


def delete_cut(world, actor, cut: Cut) -> Exchange:
    return answered(world, attempt_delete_cut(actor.client, cut.id), 204, meaning=f"{actor.name} to delete the cut")


def delete_project(world, actor, project_id: int) -> Exchange:
    return answered(world, attempt_delete_project(actor.client, project_id), 204,
                    meaning=f"{actor.name} to delete the project")


def titles_in_project(world, client: PortalClient, project_id: int) -> list[str]:
    answer = answered(world, list_cuts(client, project_id), 200, meaning="the project's cuts")
    return [a["title"] for a in answer.json()["assets"]]


def project_names(world, client: PortalClient) -> list[str]:
    answer = answered(world, list_projects(client), 200, meaning="the organisation's projects")
    return [p["name"] for p in answer.json()["projects"]]


_KEPT = "SELECT id, title, version, deleted_at, deleted_by FROM assets WHERE id = %s"


def record_of(world, cut: Cut) -> dict | None:
    """The cut's row as the portal keeps it (deleted or not), shown in the report."""
    row = world.db.execute(_KEPT, (cut.id,)).fetchone()
    attachments.attach_rows(world, f"The portal's record of the cut {cut.title!r}", _KEPT, [row] if row else [])
    return row
