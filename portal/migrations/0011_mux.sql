-- Cuts come from Mux (issue 13). A producer asks the portal for an upload; the portal creates a
-- Mux direct upload and records the cut as `uploading`; Mux's signed webhooks then move it on:
--   uploading -> processing -> ready | failed, and uploading -> upload_failed.
-- A status never goes backwards (portal/video/lifecycle.py). Playback ids come only from Mux's
-- signed reports: the client-supplied storage key is gone, and a cut has no playback id until
-- Mux reports it ready.

ALTER TABLE projects
    ADD COLUMN data_residency text NOT NULL DEFAULT 'anywhere' CHECK (data_residency IN ('anywhere', 'australia'));

ALTER TABLE assets DROP CONSTRAINT assets_status_check;
UPDATE assets SET status = CASE status WHEN 'preparing' THEN 'processing' WHEN 'errored' THEN 'failed' ELSE status END;
ALTER TABLE assets
    ALTER COLUMN status SET DEFAULT 'uploading',
    ADD CONSTRAINT assets_status_check
        CHECK (status IN ('uploading', 'processing', 'ready', 'failed', 'upload_failed')),
    ALTER COLUMN playback_id DROP NOT NULL,
    DROP COLUMN storage_key,
    ADD COLUMN public_id       uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,  -- Mux's `passthrough`
    ADD COLUMN data_residency  text NOT NULL DEFAULT 'anywhere' CHECK (data_residency IN ('anywhere', 'australia')),
    ADD COLUMN file_name       text,
    ADD COLUMN size_bytes      bigint CHECK (size_bytes > 0),
    ADD COLUMN content_type    text,
    ADD COLUMN mux_upload_id   text UNIQUE,
    ADD COLUMN mux_asset_id    text UNIQUE,
    ADD COLUMN upload_expires_at timestamptz,    -- Mux's upload timeout: past it, the sweep gives up on it
    ADD COLUMN aspect_ratio    text,
    ADD COLUMN failure         text,             -- Mux's error messages, or why the upload failed
    ADD COLUMN status_at       timestamptz NOT NULL DEFAULT now();
ALTER TABLE assets ADD CONSTRAINT assets_ready_has_playback CHECK (status <> 'ready' OR playback_id IS NOT NULL);

-- every signed report Mux sent, kept once by its event id (a redelivery has no second effect)
CREATE TABLE mux_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id      text NOT NULL UNIQUE,
    event_type    text NOT NULL,
    environment   text NOT NULL CHECK (environment IN ('anywhere', 'australia')),
    object_id     text,
    asset_id      bigint REFERENCES assets (id),  -- the cut it was about, when the portal knows it
    outcome       text NOT NULL,                  -- applied | stale | ignored | unknown_cut
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mux_events_by_asset ON mux_events (asset_id);
