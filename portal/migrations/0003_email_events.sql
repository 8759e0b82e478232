-- What happens to each email after the outbox: its delivery status, its timeline (the portal's
-- own attempts and every report Resend sends), and the suppression list.

-- statuses, by precedence: queued < sent < delivery_delayed = soft_bounced < delivered
--   < bounced = complained = failed = suppressed; dead: every attempt failed (dead letter)
ALTER TABLE emails DROP CONSTRAINT emails_status_check;
ALTER TABLE emails ADD CONSTRAINT emails_status_check CHECK (status IN (
    'queued', 'sent', 'delivery_delayed', 'soft_bounced', 'delivered',
    'bounced', 'complained', 'failed', 'suppressed', 'dead'));
ALTER TABLE emails
    -- when the current status took effect; for a status Resend reported, the time of its event
    ADD COLUMN status_at  timestamptz,
    -- how often an admin sent this (dead) email again; part of the idempotency key
    ADD COLUMN resends    integer NOT NULL DEFAULT 0,
    -- a one-time secret (a sign-in link) was removed from the stored copy: it cannot be sent again
    ADD COLUMN scrubbed   boolean NOT NULL DEFAULT false;
CREATE INDEX emails_provider_id ON emails (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX emails_by_recipient ON emails (lower(recipient), created_at);
CREATE INDEX emails_dead ON emails (last_attempt_at) WHERE status = 'dead';

CREATE TABLE email_events (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- NULL: a report about an email the outbox does not (yet) know
    email_id           bigint REFERENCES emails (id),
    source             text NOT NULL CHECK (source IN ('portal', 'resend')),
    type               text NOT NULL,               -- 'attempt_failed', 'email.bounced', ...
    occurred_at        timestamptz NOT NULL,        -- for a report: the provider's own event time
    received_at        timestamptz NOT NULL DEFAULT now(),
    svix_id            text UNIQUE,                 -- the report's svix-id: a redelivery is recognised by it
    provider_email_id  text,                        -- data.email_id of a report
    addresses          text[] NOT NULL DEFAULT '{}',  -- data.to of a report, lowercased
    bounce             text CHECK (bounce IN ('hard', 'soft')),
    -- what a report did: applied | superseded (too late to change the status) | acknowledged
    -- (a kind the portal records only) | ignored (a kind it does not know) | unmatched (no such email)
    effect             text CHECK (effect IN ('applied', 'superseded', 'acknowledged', 'ignored', 'unmatched')),
    detail             text,
    payload            jsonb NOT NULL DEFAULT '{}'::jsonb,
    CHECK ((source = 'resend') = (svix_id IS NOT NULL AND effect IS NOT NULL))
);
CREATE INDEX email_events_timeline ON email_events (email_id, occurred_at);
CREATE INDEX email_events_unmatched ON email_events (provider_email_id) WHERE email_id IS NULL;
CREATE INDEX email_events_soft_bounces ON email_events USING gin (addresses) WHERE bounce = 'soft';

CREATE TABLE suppressions (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    address             text NOT NULL CHECK (address = lower(address)),
    reason              text NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'soft_bounces', 'provider')),
    caused_by_event_id  bigint NOT NULL REFERENCES email_events (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    lifted_at           timestamptz,
    lifted_by_user_id   bigint REFERENCES users (id)
);
-- one standing suppression per address; lifted ones stay as history
CREATE UNIQUE INDEX suppressions_standing ON suppressions (address) WHERE lifted_at IS NULL;
