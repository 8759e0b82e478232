-- Tenants, people, sessions, sign-in links, rate limits, audit, the email outbox and the job queue.

CREATE TABLE tenants (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('studio', 'agency')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   bigint NOT NULL REFERENCES tenants (id),
    email       text NOT NULL,
    name        text NOT NULL,
    role        text NOT NULL CHECK (role IN ('admin', 'producer', 'guest')),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- addresses are compared case-insensitively: one account per address
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sign_in_links (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id),
    token_hash     text NOT NULL UNIQUE,       -- SHA-256 of the emailed token; the token itself is never stored
    next_path      text NOT NULL DEFAULT '/',
    issued_at      timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    used_at        timestamptz,
    superseded_at  timestamptz
);
CREATE INDEX sign_in_links_open_by_user ON sign_in_links (user_id) WHERE used_at IS NULL AND superseded_at IS NULL;

CREATE TABLE sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id_hash     text NOT NULL UNIQUE,          -- SHA-256 of the cookie value
    user_id     bigint NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    ended_at    timestamptz
);

CREATE TABLE rate_limit_hits (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    bucket  text NOT NULL,                     -- e.g. 'sign-in-link:address:<sha256>'
    hit_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rate_limit_hits_bucket_time ON rate_limit_hits (bucket, hit_at);

CREATE TABLE audit_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    action       text NOT NULL,
    outcome      text NOT NULL,
    actor_user_id bigint REFERENCES users (id),
    actor_label  text NOT NULL,                -- redacted address or 'anonymous'; never a full address
    tenant_id    bigint REFERENCES tenants (id),
    reason       text,
    request_id   text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_action_time ON audit_events (action, occurred_at);

CREATE TABLE emails (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id        uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),  -- also the provider idempotency key
    template         text NOT NULL,
    recipient        text NOT NULL,
    subject          text NOT NULL,
    html_body        text NOT NULL,
    text_body        text NOT NULL,
    status           text NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'sent', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    last_error       text,
    last_error_kind  text,                      -- network | unavailable | rate_limited | rejected
    provider_id      text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
CREATE INDEX emails_due ON emails (next_attempt_at) WHERE status = 'queued';

CREATE TABLE jobs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL,
    payload     jsonb NOT NULL DEFAULT '{}'::jsonb,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
    run_at      timestamptz NOT NULL DEFAULT now(),
    attempts    integer NOT NULL DEFAULT 0,
    last_error  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
