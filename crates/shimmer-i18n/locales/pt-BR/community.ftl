# Seguidores, o painel de quem transmite e os avisos de live.

follows-back = Voltar para { $name }
follows-followers = Seguidores
follows-following = Seguindo
follows-channels = { $count ->
        [one] { $count } canal seguido
       *[other] { $count } canais seguidos
    }
follows-nobody = Ninguém ainda.
pager-newer = Mais recentes
pager-older = Mais antigos
follows-unsubscribed = Você não vai mais receber e-mail quando <strong>{ $name }</strong> entrar ao vivo. Você continua seguindo; reative os e-mails na <a href="/{ $name }">página do canal</a>.
follows-followers-of = Seguidores de { $name }
follows-following-of = Quem { $name } segue
follows-unsubscribe-invalid = Este link de cancelamento não é válido. Desative os avisos na página do canal.
dashboard-audio-only = Os espectadores recebem só o áudio.
dashboard-encoder-log = Os codificadores não mostram isso no próprio log (o FTL não tem como responder a eles); o log do servidor também registra.
dashboard-b-frames = <strong>Seu codificador envia quadros B:</strong> os navegadores não conseguem reordenar quadros, então a imagem engasga ou volta. Ajuste os quadros B para 0.
dashboard-b-frames-help = OBS: Configurações → Saída → Modo de saída: Avançado → Transmissão → "Quadros B" (codificadores de hardware) = 0, ou para x264 ajuste "Tune" para "zerolatency" (ou opções do x264 <code>bframes=0</code>). ffmpeg: <code>-bf 0</code> ou <code>-tune zerolatency</code>.
dashboard-watching-now = Assistindo agora: <strong data-testid="dashboard-viewers">{ $count }</strong>
dashboard-chart-heading = Live { $stream }: espectadores e taxa de bits por minuto
dashboard-no-samples = Ainda sem medições: uma é feita a cada minuto enquanto a live está no ar.
dashboard-chart-title = Espectadores (linha contínua, até { $viewers }) e taxa de bits (tracejada, até { $kbps } kbit/s)
dashboard-chart-caption = Contínua: espectadores simultâneos (escala da esquerda). Tracejada: taxa de bits recebida em kbit/s (escala da direita). Os horários estão em UTC.
dashboard-recent = Lives recentes
dashboard-not-streamed = Você ainda não transmitiu.
dashboard-started = Início
dashboard-maybe-audio-only = Alguns espectadores podem receber só o áudio.
dashboard-video-problem = O vídeo da sua live: { $problem }.
dashboard-followers = Seguidores: <strong>{ $count }</strong>
dashboard-live-over = ao vivo via <strong data-testid="ingest-protocol">{ $protocol }</strong>
dashboard-chart-minutes = em { $count ->
        [one] { $count } minuto
       *[other] { $count } minutos
    }
dashboard-minutes = Minutos
dashboard-peak = Pico
dashboard-average = Média
dashboard-unique = Únicos
dashboard-time-axis = Horário (UTC)

## Search result pages
search-page-count = Canais { $first }–{ $last } de { $total }
search-page-past-end = A página { $page } não tem resultados: { $total ->
        [one] o único canal encontrado está
       *[other] todos os { $total } canais encontrados estão
    } em páginas anteriores.
search-page-first = Ir para a primeira página
search-page-previous = Anterior
search-page-next = Próxima
search-pages = Páginas de resultados
search-bad-page = Os números de página são números inteiros a partir de 1, como page=2.
