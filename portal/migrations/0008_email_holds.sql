-- Holding the whole outbox when Resend refuses every email alike: its sending quota is used up
-- (429 daily_quota_exceeded / monthly_quota_exceeded), or it refuses the portal's own
-- configuration (a missing, invalid or restricted API key, an unverified domain, a sender it
-- does not accept). Retrying each email on its own schedule would only dead-letter them all.
--
-- While a hold is open and `held_until` is in the future nothing is sent; then one email is
-- tried: accepted, the hold ends and the outbox flows again; refused again, the hold is extended.
-- The hold is what studio admins are told: one row per episode, however many emails it stops.
CREATE TABLE email_holds (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('quota', 'refused')),
    reason         text NOT NULL,            -- Resend's error name: daily_quota_exceeded, invalid_api_key, ...
    detail         text NOT NULL,            -- Resend's answer, as the portal received it (no secrets)
    started_at     timestamptz NOT NULL DEFAULT now(),
    held_until     timestamptz NOT NULL,     -- no email is tried before then
    refusals       integer NOT NULL DEFAULT 1 CHECK (refusals >= 1),  -- answers that opened or extended it
    last_refused_at timestamptz NOT NULL DEFAULT now(),
    ended_at       timestamptz,              -- when Resend accepted an email again
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- at most one open hold: a second refusal while one is open extends it
CREATE UNIQUE INDEX email_holds_one_open ON email_holds ((true)) WHERE ended_at IS NULL;
