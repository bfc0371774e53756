# Les statistiques affichées sur le lecteur et pourquoi il lit en HLS.

js-player-stats-mode = mode
js-player-stats-resolution = définition
js-player-stats-video = vidéo
js-player-stats-audio = son
js-player-stats-loss-label = pertes
js-player-stats-jitter = gigue
js-player-stats-latency = retard
js-player-stats-hls = HLS ({$reason})
js-player-stats-compat = mode compatibilité
js-player-stats-frames-dropped = {$decoded} images décodées, {$dropped} abandonnées
js-player-stats-behind-live = ~{$seconds} s de retard sur le direct
js-player-stats-not-connected = non connecté
js-player-stats-video-rate = {$rate}  ({$frames} images décodées)
js-player-stats-loss = {$percent} %  ({$packets} paquets)
js-player-stats-latency-rtc = ~{$network} ms de réseau + {$buffer} ms de tampon
js-player-stats-waiting = en attente de la vidéo…
js-player-fallback-timeout = WebRTC n’a pas démarré à temps
js-player-fallback-refused = WebRTC refusé ({$status})
js-player-fallback-b-frames = le flux contient des images B
