-- The stream's H.264 format from its SPS, so the streamer's dashboard can warn when browsers
-- cannot play it (High 4:4:4, 4:2:2, more than 8 bits) or may not offer it (High and above).
-- video_profile is the SDP profile-level-id (six hex digits), empty when unknown (no SPS yet,
-- or metadata logged through the API).
ALTER TABLE stream_metadata ADD COLUMN video_profile TEXT NOT NULL DEFAULT '';
ALTER TABLE stream_metadata ADD COLUMN video_chroma_format BIGINT NOT NULL DEFAULT 1;
ALTER TABLE stream_metadata ADD COLUMN video_bit_depth BIGINT NOT NULL DEFAULT 8;
