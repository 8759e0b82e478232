-- Operations: the audit log read page by page and kept for a limited time (but not about a
-- project under legal hold), backups and their verification, the background worker's heartbeat,
-- and Resend's stored reports without people's addresses in clear.

-- reading the audit log newest first, page by page, for everyone or for one organisation;
-- retention removes from the oldest end
CREATE INDEX audit_events_time ON audit_events (occurred_at, id);
CREATE INDEX audit_events_tenant_time ON audit_events (tenant_id, occurred_at, id);

-- a project under legal hold keeps every audit entry about it, however old
ALTER TABLE projects
    ADD COLUMN legal_hold_since  timestamptz,
    ADD COLUMN legal_hold_reason text CHECK (legal_hold_reason IS NULL OR length(legal_hold_reason) BETWEEN 1 AND 500),
    ADD CHECK ((legal_hold_since IS NULL) = (legal_hold_reason IS NULL));

-- every backup `python -m portal backup` made: its archive and manifest; verified once the
-- archive was read back whole and its checksum matched
CREATE TABLE backups (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    taken_at     timestamptz NOT NULL,          -- the database clock when the dump began
    file_name    text NOT NULL,
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    manifest     jsonb NOT NULL,                -- server version, tables and their row counts
    verified_at  timestamptz
);
CREATE INDEX backups_verified ON backups (taken_at) WHERE verified_at IS NOT NULL;

-- each background worker says it is alive after every pass; readiness reads the newest beat
CREATE TABLE worker_heartbeats (
    worker      text PRIMARY KEY,               -- host:process id
    started_at  timestamptz NOT NULL DEFAULT now(),
    beat_at     timestamptz NOT NULL DEFAULT now()
);

-- Resend's reports are kept long after their effect: addresses become fingerprints (the
-- soft-bounce count finds them so) and the payload keeps them masked (t***@brightside.example)
UPDATE email_events
   SET addresses = ARRAY(SELECT substr(encode(sha256(convert_to(a, 'UTF8')), 'hex'), 1, 32) FROM unnest(addresses) AS a)
 WHERE addresses <> '{}';
UPDATE email_events
   SET payload = regexp_replace(payload::text, '([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@', '\1***@', 'g')::jsonb,
       detail = regexp_replace(detail, '([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@', '\1***@', 'g')
 WHERE source = 'resend';
