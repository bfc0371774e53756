# Seguimientos, el panel de quien transmite y los avisos de directo.

follows-back = Volver a { $name }
follows-followers = Seguidores
follows-following = Siguiendo
follows-channels = { $count ->
        [one] { $count } canal seguido
       *[other] { $count } canales seguidos
    }
follows-nobody = Nadie todavía.
pager-newer = Más recientes
pager-older = Más antiguos
follows-unsubscribed = Ya no recibirás un correo cuando <strong>{ $name }</strong> empiece un directo. Sigues siguiendo el canal; vuelve a activar los correos desde <a href="/{ $name }">su página</a>.
follows-followers-of = Seguidores de { $name }
follows-following-of = Canales que sigue { $name }
follows-unsubscribe-invalid = Este enlace para darse de baja no es válido. Desactiva los avisos desde la página del canal.
dashboard-audio-only = Los espectadores solo reciben el audio.
dashboard-encoder-log = Los codificadores no lo muestran en su propio registro (FTL no tiene forma de avisarles); el registro del servidor también lo recoge.
dashboard-b-frames = <strong>Tu codificador envía fotogramas B:</strong> los navegadores no pueden reordenar fotogramas, así que la imagen da tirones o salta hacia atrás. Pon los fotogramas B a 0.
dashboard-b-frames-help = OBS: Ajustes → Salida → Modo de salida: Avanzado → Emisión → «Fotogramas B» (codificadores por hardware) = 0, o para x264 pon «Tune» en «zerolatency» (u opciones de x264 <code>bframes=0</code>). ffmpeg: <code>-bf 0</code> o <code>-tune zerolatency</code>.
dashboard-watching-now = Viendo ahora: <strong data-testid="dashboard-viewers">{ $count }</strong>
dashboard-chart-heading = Directo { $stream }: espectadores y tasa de bits por minuto
dashboard-no-samples = Aún no hay muestras: se toma una cada minuto mientras el directo está en marcha.
dashboard-chart-title = Espectadores (línea continua, hasta { $viewers }) y tasa de bits (discontinua, hasta { $kbps } kbit/s)
dashboard-chart-caption = Continua: espectadores simultáneos (escala izquierda). Discontinua: tasa de bits de entrada en kbit/s (escala derecha). Las horas están en UTC.
dashboard-recent = Directos recientes
dashboard-not-streamed = Todavía no has transmitido.
dashboard-started = Inicio
dashboard-maybe-audio-only = Puede que algunos espectadores solo reciban el audio.
dashboard-video-problem = El vídeo de tu directo: { $problem }.
dashboard-followers = Seguidores: <strong>{ $count }</strong>
dashboard-live-over = en directo por <strong data-testid="ingest-protocol">{ $protocol }</strong>
dashboard-chart-minutes = durante { $count ->
        [one] { $count } minuto
       *[other] { $count } minutos
    }
dashboard-minutes = Minutos
dashboard-peak = Pico
dashboard-average = Media
dashboard-unique = Únicos
dashboard-time-axis = Hora (UTC)

## Search result pages
search-page-count = Canales { $first }–{ $last } de { $total }
search-page-past-end = La página { $page } no tiene resultados: { $total ->
        [one] el único canal encontrado está
       *[other] los { $total } canales encontrados están
    } en páginas anteriores.
search-page-first = Ir a la primera página
search-page-previous = Anterior
search-page-next = Siguiente
search-pages = Páginas de resultados
search-bad-page = Los números de página son números enteros desde 1, por ejemplo page=2.
