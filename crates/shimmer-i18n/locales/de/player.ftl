# Die Statistik-Einblendung des Players und warum er über HLS abspielt.

js-player-stats-mode = Modus
js-player-stats-resolution = Auflösung
js-player-stats-video = Video
js-player-stats-audio = Audio
js-player-stats-loss-label = Verlust
js-player-stats-jitter = Jitter
js-player-stats-latency = Verzögerung
js-player-stats-hls = HLS ({$reason})
js-player-stats-compat = Kompatibilitätsmodus
js-player-stats-frames-dropped = {$decoded} Bilder dekodiert, {$dropped} verworfen
js-player-stats-behind-live = ~{$seconds} s hinter live
js-player-stats-not-connected = nicht verbunden
js-player-stats-video-rate = {$rate}  ({$frames} Bilder dekodiert)
js-player-stats-loss = {$percent} %  ({$packets} Pakete)
js-player-stats-latency-rtc = ~{$network} ms Netz + {$buffer} ms Puffer
js-player-stats-waiting = warte auf Video …
js-player-fallback-timeout = WebRTC ist nicht rechtzeitig gestartet
js-player-fallback-refused = WebRTC abgelehnt ({$status})
js-player-fallback-b-frames = der Stream hat B-Frames
