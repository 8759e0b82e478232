-- Invitations: how people arrive. An admin invites an address to an organisation with a role;
-- the email carries a 256-bit key of which only the SHA-256 is kept. Accepting creates the
-- account (users.email is unique, so never a second one) and starts its first session.
--
-- An invitation to an address that already has an account is recorded like any other (the
-- inviter's answer and list must not tell the two apart) but names that account in
-- `existing_user_id`, and its key is never sent anywhere: it can never be accepted.
CREATE TABLE invitations (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash        text NOT NULL UNIQUE,            -- SHA-256 of the emailed key; never the key
    tenant_id         bigint NOT NULL REFERENCES tenants (id),
    email             text NOT NULL,
    role              text NOT NULL CHECK (role IN ('admin', 'producer', 'guest')),
    invited_by        bigint NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    expires_at        timestamptz NOT NULL,
    existing_user_id  bigint REFERENCES users (id),
    accepted_at       timestamptz,
    accepted_user_id  bigint REFERENCES users (id),
    withdrawn_at      timestamptz,
    withdrawn_reason  text CHECK (withdrawn_reason IN ('withdrawn', 'invited_again', 'inviter_departed')),
    CHECK (expires_at > created_at),
    CHECK ((accepted_at IS NULL) = (accepted_user_id IS NULL)),
    CHECK (accepted_at IS NULL OR withdrawn_at IS NULL)
);
-- one open invitation per address and organisation: inviting again withdraws the earlier one
CREATE UNIQUE INDEX invitations_one_open ON invitations (tenant_id, lower(email))
    WHERE accepted_at IS NULL AND withdrawn_at IS NULL;
CREATE INDEX invitations_by_inviter ON invitations (invited_by) WHERE accepted_at IS NULL AND withdrawn_at IS NULL;

-- API keys: how an agency's own systems use the JSON API, as the person who made the key.
-- `nl_live_` + 43 base64url characters (256 bits) + 6 base62 characters of CRC32; only the
-- SHA-256 of the whole key is kept, and its last four characters so people can tell keys apart.
CREATE TABLE api_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    key_hash      text NOT NULL UNIQUE,
    last_four     text NOT NULL CHECK (length(last_four) = 4),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz,
    revoked_by    bigint REFERENCES users (id),
    revoked_reason text CHECK (revoked_reason IN ('revoked', 'owner_suspended', 'owner_removed'))
);
CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at);

-- API rate limits: one fixed window per caller (an API key, a session, an anonymous network),
-- opened by its first request and counted atomically, so every portal process shares one budget.
-- The scheduled task api.rate-window-sweep deletes windows that have closed.
CREATE TABLE api_rate_windows (
    bucket        text PRIMARY KEY,          -- 'key:<id>', 'session:<hash>', 'network:<keyed hash>'
    window_start  timestamptz NOT NULL DEFAULT now(),
    hits          integer NOT NULL DEFAULT 1 CHECK (hits >= 1)
);
CREATE INDEX api_rate_windows_start ON api_rate_windows (window_start);
