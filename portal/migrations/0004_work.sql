-- The work in a project: ordered milestones and tasks, with versions (no lost updates), soft
-- deletes that a project's restore can undo, reminders and digests, full-text search, and each
-- project's recovery point objective.

-- `deleted_with` says what a soft delete was part of: NULL, deleted on its own; 'milestone', with
-- its milestone; 'project', with its project (a restore of the project brings back exactly these)
ALTER TABLE projects
    ADD COLUMN recovery_point_hours integer NOT NULL DEFAULT 24 CHECK (recovery_point_hours BETWEEN 1 AND 8760),
    ADD COLUMN restored_at timestamptz,
    ADD COLUMN restored_by bigint REFERENCES users (id),
    ADD CONSTRAINT projects_name_length CHECK (length(name) BETWEEN 1 AND 200);
ALTER TABLE assets
    ADD COLUMN deleted_with text CHECK (deleted_with IN ('project')),
    ADD CONSTRAINT assets_deleted_with_needs_deletion CHECK (deleted_with IS NULL OR deleted_at IS NOT NULL);

CREATE TABLE milestones (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id    bigint NOT NULL REFERENCES projects (id),
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    due_on        date,
    status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done')),
    -- the order among the project's milestones; a reorder writes fresh numbers above every
    -- existing one, so no two milestones of a project ever share one, deleted ones included
    position      integer NOT NULL CHECK (position >= 1),
    version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    deleted_at    timestamptz,
    deleted_by    bigint REFERENCES users (id),
    deleted_with  text CHECK (deleted_with IN ('project')),
    UNIQUE (project_id, id),                  -- the target of tasks' (project, milestone) reference
    UNIQUE (project_id, position),
    CHECK ((status = 'done') = (completed_at IS NOT NULL)),
    CHECK (deleted_with IS NULL OR deleted_at IS NOT NULL)
);
CREATE INDEX milestones_by_project ON milestones (project_id, position) WHERE deleted_at IS NULL;

CREATE TABLE project_tasks (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id    bigint NOT NULL REFERENCES projects (id),
    milestone_id  bigint,
    title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description   text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    assignee_id   bigint REFERENCES users (id),
    due_at        timestamptz,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- the due date the overdue reminder was sent for: moving the due date re-arms the reminder
    overdue_notified_for timestamptz,
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz,
    deleted_at    timestamptz,
    deleted_by    bigint REFERENCES users (id),
    deleted_with  text CHECK (deleted_with IN ('milestone', 'project')),
    -- a task's milestone is one of its own project's: the pair must exist in milestones
    FOREIGN KEY (project_id, milestone_id) REFERENCES milestones (project_id, id),
    CHECK ((status = 'done') = (completed_at IS NOT NULL)),
    CHECK (deleted_with IS NULL OR deleted_at IS NOT NULL)
);
CREATE INDEX project_tasks_by_project ON project_tasks (project_id, id) WHERE deleted_at IS NULL;
CREATE INDEX project_tasks_open_by_assignee ON project_tasks (assignee_id, due_at)
    WHERE deleted_at IS NULL AND status = 'open';
CREATE INDEX project_tasks_by_milestone ON project_tasks (milestone_id) WHERE milestone_id IS NOT NULL;

-- the daily digest: one row per person and studio day it was sent on, so a day never gets two
CREATE TABLE task_digests (
    user_id   bigint NOT NULL REFERENCES users (id),
    day       date NOT NULL,
    sent_at   timestamptz NOT NULL DEFAULT now(),
    tasks     integer NOT NULL CHECK (tasks >= 1),
    PRIMARY KEY (user_id, day)
);

-- people who switched the daily digest off for themselves
CREATE TABLE task_digest_opt_outs (
    user_id     bigint PRIMARY KEY REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- full-text search by words of titles, with prefix matching ('simple': no stemming, any language);
-- expression indexes, so the search reads the titles themselves and adds no column to keep in step
CREATE INDEX projects_search ON projects USING gin (to_tsvector('simple', name)) WHERE deleted_at IS NULL;
CREATE INDEX assets_search ON assets USING gin (to_tsvector('simple', title)) WHERE deleted_at IS NULL;
CREATE INDEX project_tasks_search ON project_tasks USING gin (to_tsvector('simple', title)) WHERE deleted_at IS NULL;
