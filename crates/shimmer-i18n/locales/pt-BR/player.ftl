# As estatísticas sobrepostas do player e por que ele toca por HLS.

js-player-stats-mode = modo
js-player-stats-resolution = resolução
js-player-stats-video = vídeo
js-player-stats-audio = áudio
js-player-stats-loss-label = perda
js-player-stats-jitter = variação
js-player-stats-latency = atraso
js-player-stats-hls = HLS ({$reason})
js-player-stats-compat = modo de compatibilidade
js-player-stats-frames-dropped = {$decoded} quadros decodificados, {$dropped} descartados
js-player-stats-behind-live = ~{$seconds} s atrás do ao vivo
js-player-stats-not-connected = sem conexão
js-player-stats-video-rate = {$rate}  ({$frames} quadros decodificados)
js-player-stats-loss = {$percent} %  ({$packets} pacotes)
js-player-stats-latency-rtc = ~{$network} ms de rede + {$buffer} ms de buffer
js-player-stats-waiting = aguardando o vídeo…
js-player-fallback-timeout = O WebRTC não começou a tempo
js-player-fallback-refused = WebRTC recusado ({$status})
js-player-fallback-b-frames = a transmissão tem quadros B
