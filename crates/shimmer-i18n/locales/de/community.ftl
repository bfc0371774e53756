# Folgen, das Dashboard für Streamende und Live-Benachrichtigungen.

follows-back = Zurück zu { $name }
follows-followers = Follower
follows-following = Folgt
follows-channels = { $count ->
        [one] { $count } gefolgter Kanal
       *[other] { $count } gefolgte Kanäle
    }
follows-nobody = Noch niemand.
pager-newer = Neuere
pager-older = Ältere
follows-unsubscribed = Du bekommst keine E-Mail mehr, wenn <strong>{ $name }</strong> live geht. Du folgst weiterhin; schalte E-Mails auf <a href="/{ $name }">der Kanalseite</a> wieder ein.
follows-followers-of = Follower von { $name }
follows-following-of = { $name } folgt
follows-unsubscribe-invalid = Dieser Abmeldelink ist ungültig. Schalte die Benachrichtigungen stattdessen auf der Seite des Kanals aus.
dashboard-audio-only = Zuschauende bekommen nur Ton.
dashboard-encoder-log = Encoder zeigen das nicht in ihrem eigenen Protokoll (FTL hat keinen Rückweg zu ihnen); das Serverprotokoll enthält es auch.
dashboard-b-frames = <strong>Dein Encoder sendet B-Frames:</strong> Browser können Bilder nicht umsortieren, daher ruckelt das Bild oder springt zurück. Stelle B-Frames auf 0.
dashboard-b-frames-help = OBS: Einstellungen → Ausgabe → Ausgabemodus: Erweitert → Streaming → „B-Frames“ (Hardware-Encoder) = 0, oder für x264 „Tune“ auf „zerolatency“ stellen (oder x264-Optionen <code>bframes=0</code>). ffmpeg: <code>-bf 0</code> oder <code>-tune zerolatency</code>.
dashboard-watching-now = Schauen gerade zu: <strong data-testid="dashboard-viewers">{ $count }</strong>
dashboard-chart-heading = Stream { $stream }: Zuschauende und Bitrate pro Minute
dashboard-no-samples = Noch keine Messwerte: Solange der Stream live ist, wird jede Minute einer erfasst.
dashboard-chart-title = Zuschauende (durchgezogen, bis { $viewers }) und Bitrate (gestrichelt, bis { $kbps } kbit/s)
dashboard-chart-caption = Durchgezogen: gleichzeitige Zuschauende (linke Skala). Gestrichelt: eingehende Bitrate in kbit/s (rechte Skala). Zeiten sind in UTC.
dashboard-recent = Letzte Streams
dashboard-not-streamed = Du hast noch nicht gestreamt.
dashboard-started = Beginn
dashboard-maybe-audio-only = Manche Zuschauende bekommen womöglich nur Ton.
dashboard-video-problem = Das Video deines Live-Streams: { $problem }.
dashboard-followers = Follower: <strong>{ $count }</strong>
dashboard-live-over = live über <strong data-testid="ingest-protocol">{ $protocol }</strong>
dashboard-chart-minutes = über { $count ->
        [one] { $count } Minute
       *[other] { $count } Minuten
    }
dashboard-minutes = Minuten
dashboard-peak = Spitze
dashboard-average = Durchschnitt
dashboard-unique = Verschiedene
dashboard-time-axis = Zeit (UTC)

## Search result pages
search-page-count = Kanäle { $first }–{ $last } von { $total }
search-page-past-end = Seite { $page } enthält keine Ergebnisse: { $total ->
        [one] der eine gefundene Kanal steht
       *[other] alle { $total } gefundenen Kanäle stehen
    } auf früheren Seiten.
search-page-first = Zur ersten Seite
search-page-previous = Zurück
search-page-next = Weiter
search-pages = Ergebnisseiten
search-bad-page = Seitenzahlen sind ganze Zahlen ab 1, zum Beispiel page=2.
