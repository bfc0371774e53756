# Las estadísticas superpuestas del reproductor y por qué reproduce por HLS.

js-player-stats-mode = modo
js-player-stats-resolution = resolución
js-player-stats-video = vídeo
js-player-stats-audio = audio
js-player-stats-loss-label = pérdida
js-player-stats-jitter = variación
js-player-stats-latency = retraso
js-player-stats-hls = HLS ({$reason})
js-player-stats-compat = modo de compatibilidad
js-player-stats-frames-dropped = {$decoded} fotogramas decodificados, {$dropped} descartados
js-player-stats-behind-live = ~{$seconds} s por detrás del directo
js-player-stats-not-connected = sin conexión
js-player-stats-video-rate = {$rate}  ({$frames} fotogramas decodificados)
js-player-stats-loss = {$percent} %  ({$packets} paquetes)
js-player-stats-latency-rtc = ~{$network} ms de red + {$buffer} ms de búfer
js-player-stats-waiting = esperando el vídeo…
js-player-fallback-timeout = WebRTC no arrancó a tiempo
js-player-fallback-refused = WebRTC rechazado ({$status})
js-player-fallback-b-frames = la transmisión tiene fotogramas B
