# Abonnements aux chaînes, le tableau de bord et les alertes de live.

follows-back = Retour à { $name }
follows-followers = Abonnés
follows-following = Abonnements
follows-channels = { $count ->
        [one] { $count } chaîne suivie
       *[other] { $count } chaînes suivies
    }
follows-nobody = Personne pour l’instant.
pager-newer = Plus récents
pager-older = Plus anciens
follows-unsubscribed = Vous ne recevrez plus d’e-mail quand <strong>{ $name }</strong> passe en direct. Vous suivez toujours la chaîne ; réactivez les e-mails depuis <a href="/{ $name }">sa page</a>.
follows-followers-of = Abonnés de { $name }
follows-following-of = Chaînes suivies par { $name }
follows-unsubscribe-invalid = Ce lien de désinscription n’est pas valide. Désactivez plutôt les alertes depuis la page de la chaîne.
dashboard-audio-only = Les spectateurs ne reçoivent que le son.
dashboard-encoder-log = Les encodeurs ne l’indiquent pas dans leur propre journal (FTL ne peut pas leur répondre) ; le journal du serveur le contient aussi.
dashboard-b-frames = <strong>Votre encodeur envoie des images B :</strong> les navigateurs ne peuvent pas réordonner les images, l’image saccade ou revient en arrière. Réglez les images B sur 0.
dashboard-b-frames-help = OBS : Paramètres → Sortie → Mode de sortie : Avancé → Streaming → « Images B » (encodeurs matériels) = 0, ou pour x264 réglez « Tune » sur « zerolatency » (ou options x264 <code>bframes=0</code>). ffmpeg : <code>-bf 0</code> ou <code>-tune zerolatency</code>.
dashboard-watching-now = Spectateurs en ce moment : <strong data-testid="dashboard-viewers">{ $count }</strong>
dashboard-chart-heading = Live { $stream } : spectateurs et débit par minute
dashboard-no-samples = Pas encore de mesures : une est prise chaque minute pendant le live.
dashboard-chart-title = Spectateurs (trait plein, jusqu’à { $viewers }) et débit (pointillés, jusqu’à { $kbps } kbit/s)
dashboard-chart-caption = Trait plein : spectateurs simultanés (échelle de gauche). Pointillés : débit entrant en kbit/s (échelle de droite). Les heures sont en UTC.
dashboard-recent = Lives récents
dashboard-not-streamed = Vous n’avez pas encore diffusé.
dashboard-started = Début
dashboard-maybe-audio-only = Certains spectateurs risquent de ne recevoir que le son.
dashboard-video-problem = La vidéo de votre live : { $problem }.
dashboard-followers = Abonnés : <strong>{ $count }</strong>
dashboard-live-over = en direct via <strong data-testid="ingest-protocol">{ $protocol }</strong>
dashboard-chart-minutes = sur { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
dashboard-minutes = Minutes
dashboard-peak = Pic
dashboard-average = Moyenne
dashboard-unique = Uniques
dashboard-time-axis = Heure (UTC)

## Search result pages
search-page-count = Chaînes { $first } à { $last } sur { $total }
search-page-past-end = La page { $page } n’a aucun résultat : { $total ->
        [one] la seule chaîne trouvée est
       *[other] les { $total } chaînes trouvées sont
    } sur les pages précédentes.
search-page-first = Aller à la première page
search-page-previous = Précédent
search-page-next = Suivant
search-pages = Pages de résultats
search-bad-page = Les numéros de page sont des nombres entiers à partir de 1, par exemple page=2.
