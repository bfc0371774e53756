# The player's stats overlay and why it plays over HLS. Labels are lined up in a column by the
# script; values keep their units (fps, ms, kbit/s).

js-player-stats-mode = mode
js-player-stats-resolution = resolution
js-player-stats-video = video
js-player-stats-audio = audio
js-player-stats-loss-label = loss
js-player-stats-jitter = jitter
js-player-stats-latency = latency
js-player-stats-hls = HLS ({$reason})
js-player-stats-compat = compatibility mode
js-player-stats-frames-dropped = {$decoded} frames decoded, {$dropped} dropped
js-player-stats-behind-live = ~{$seconds} s behind live
js-player-stats-not-connected = not connected
js-player-stats-video-rate = {$rate}  ({$frames} frames decoded)
js-player-stats-loss = {$percent} %  ({$packets} packets)
js-player-stats-latency-rtc = ~{$network} ms network + {$buffer} ms buffer
js-player-stats-waiting = waiting for video…
js-player-fallback-timeout = WebRTC did not start in time
js-player-fallback-refused = WebRTC refused ({$status})
js-player-fallback-b-frames = the stream has B-frames
