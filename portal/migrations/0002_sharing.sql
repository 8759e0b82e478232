-- Projects and their video assets, share links for guests (views, password attempts, unlocks),
-- and the history of named scheduled tasks.

CREATE TABLE projects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    name        text NOT NULL,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,                   -- soft delete: hidden from everyone, kept for the audit
    deleted_by  bigint REFERENCES users (id)
);
CREATE INDEX projects_by_tenant ON projects (tenant_id) WHERE deleted_at IS NULL;

CREATE TABLE assets (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id        bigint NOT NULL REFERENCES projects (id),
    title             text NOT NULL,
    version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    duration_seconds  numeric(9, 3) CHECK (duration_seconds > 0),
    status            text NOT NULL DEFAULT 'ready' CHECK (status IN ('preparing', 'ready', 'errored')),
    playback_id       text NOT NULL,           -- the video service's id for streaming the cut
    storage_key       text NOT NULL,           -- where the source file lies in storage; never shown to guests
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    deleted_by        bigint REFERENCES users (id)
);
CREATE INDEX assets_by_project ON assets (project_id) WHERE deleted_at IS NULL;

CREATE TABLE share_links (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    asset_id        bigint NOT NULL REFERENCES assets (id),
    token_hash      text NOT NULL UNIQUE,      -- SHA-256 of the link's key; the key itself is never stored
    permission      text NOT NULL CHECK (permission IN ('view', 'download')),
    password_hash   text,                      -- argon2id; NULL: no password
    created_by      bigint NOT NULL REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    expired_at      timestamptz,               -- set by the expiry sweep; a link is dead from expires_at on regardless
    revoked_at      timestamptz,
    revoked_by      bigint REFERENCES users (id),
    revoked_reason  text CHECK (revoked_reason IN ('revoked', 'rotated', 'asset_deleted')),
    rotated_from    bigint UNIQUE REFERENCES share_links (id),  -- a link is replaced by rotation at most once
    CHECK (expires_at > created_at),
    CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX share_links_by_asset ON share_links (asset_id);
CREATE INDEX share_links_to_sweep ON share_links (expires_at) WHERE expired_at IS NULL AND revoked_at IS NULL;

-- A revoked or expired link stays dead, and a link's key never changes (rotation issues a new
-- link): whatever code runs against this table, no token comes back to life.
CREATE FUNCTION share_links_stay_dead() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS NULL THEN
        RAISE EXCEPTION 'share link % was revoked; a revocation is final', OLD.id;
    END IF;
    IF OLD.expired_at IS NOT NULL AND NEW.expired_at IS NULL THEN
        RAISE EXCEPTION 'share link % has expired; an expiry is final', OLD.id;
    END IF;
    IF NEW.token_hash <> OLD.token_hash THEN
        RAISE EXCEPTION 'the key of share link % cannot change; rotate it to issue a new link', OLD.id;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER share_links_stay_dead BEFORE UPDATE ON share_links
    FOR EACH ROW EXECUTE FUNCTION share_links_stay_dead();

-- append-only: the portal only ever inserts here
CREATE TABLE share_link_views (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_link_id  bigint NOT NULL REFERENCES share_links (id),
    viewed_at      timestamptz NOT NULL DEFAULT now(),
    client_hash    text NOT NULL,              -- keyed SHA-256 (HMAC) of the guest's network address
    user_agent     text NOT NULL DEFAULT ''
);
CREATE INDEX share_link_views_by_link ON share_link_views (share_link_id, viewed_at);

CREATE TABLE share_link_password_failures (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_link_id  bigint NOT NULL REFERENCES share_links (id),
    failed_at      timestamptz NOT NULL DEFAULT now(),
    client_hash    text NOT NULL
);
CREATE INDEX share_link_password_failures_by_link ON share_link_password_failures (share_link_id, failed_at);

-- a browser that entered a link's password holds a random grant in a cookie; only its hash is here
CREATE TABLE share_link_unlocks (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    share_link_id  bigint NOT NULL REFERENCES share_links (id),
    grant_hash     text NOT NULL UNIQUE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);

CREATE TABLE scheduled_task_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task          text NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('succeeded', 'failed')),
    changed       integer NOT NULL DEFAULT 0,  -- how many records the run changed
    triggered_by  bigint REFERENCES users (id),  -- NULL: the schedule
    error         text
);
CREATE INDEX scheduled_task_runs_by_task ON scheduled_task_runs (task, started_at DESC);
