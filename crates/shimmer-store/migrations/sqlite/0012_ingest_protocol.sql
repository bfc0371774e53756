-- Which ingest protocol carries the stream ('ftl', 'rtmp', 'whip'; empty when metadata was logged
-- through the API by an external ingest), and whether the encoder sends B-frames (1), which
-- WebRTC players cannot reorder: the dashboard tells the streamer which setting to change.
ALTER TABLE stream_metadata ADD COLUMN ingest_protocol TEXT NOT NULL DEFAULT '';
ALTER TABLE stream_metadata ADD COLUMN video_b_frames INTEGER NOT NULL DEFAULT 0;
