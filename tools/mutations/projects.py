"""Deliberate defects: projects. Each names the rule it breaks and the scenarios that must go red."""
from mutations.common import PROJECTS, Mutation

MUTATIONS = [
    # -- projects
    Mutation("projects-any-tenant", "projects are seen only by their organisation", "portal/projects/service.py",
             '_IN_SCOPE = "(p.tenant_id = %s OR %s)"', '_IN_SCOPE = "(%s IS NOT NULL OR %s)"', PROJECTS, "finds no trace"),
    Mutation("project-delete-hides-nothing", "a deleted project is hidden", "portal/projects/service.py",
             '    conn.execute("UPDATE projects SET deleted_at = now(), deleted_by = %s WHERE id = %s", (user.id, project_id))\n',
             "", PROJECTS, "deleted project disappears"),
]
