# La page d’une chaîne, son lecteur et l’avertissement avant un contenu pour adultes.

channel-share-live = { $name } est en direct sur Shimmer : { $title }
channel-share-offline = { $name } diffuse sur Shimmer : { $title }
channel-hosting = <strong>{ $name }</strong> est hors ligne et héberge <a href="/{ $href }">{ $host }</a> : { $title }
channel-offline-now = <strong>{ $name }</strong> est hors ligne pour le moment.
channel-offline-autoplay = Cette page lance la lecture d’elle-même quand le live commence.
channel-watching = Spectateurs : <span data-viewer-count data-testid="viewer-count">{ $count }</span>
channel-edit = Modifier la chaîne
channel-followers-link = Abonnés : <span data-follower-count>{ $count }</span>
channel-notify = M’envoyer un e-mail quand { $name } passe en direct
channel-login-to-follow = Se connecter pour suivre
channel-login-to-support = Se connecter pour s’abonner ou faire un don
channel-subscribed = Abonné·e
channel-subscribe = S’abonner ({ $price } par mois)
channel-donate = Faire un don
channel-donation-amount = Montant (de { $min } à { $max })
channel-donation-message = Message pour le chat
channel-donation-message-help = (facultatif, jusqu’à 200 caractères)
channel-continue-payment = Continuer vers le paiement
channel-gift = Offrir un abonnement
channel-gift-recipient = Nom d’utilisateur de la personne à qui offrir un mois ({ $price })
channel-edit-stream = Modifier les informations du live
channel-pop-out = Ouvrir le chat à part
channel-moderation = Modération
channel-profile = Profil
channel-report = Signaler
mature-title = { $name } (adulte)

## Scripts : bouton Suivre, raids et hébergement, lecteur

js-follow = Suivre
js-unfollow = Ne plus suivre
js-raid-go-now = Aller chez { $name } maintenant
js-raid-go = Aller chez { $name }
js-raid-stay = Rester ici
js-raid-countdown = { $from } lance un raid sur { $to } ! Départ dans { $seconds } s.
js-raid-stayed = { $from } a lancé un raid sur { $to }. Vous êtes resté·e ici.
js-player-offline = { $name } est hors ligne pour le moment.
js-player-offline-unnamed = Cette chaîne est hors ligne pour le moment.
js-player-autoplay = La lecture démarre d’elle-même quand le live commence.
js-player-tap-unmute = Touchez pour activer le son
js-player-mute = Couper le son
js-player-unmute = Activer le son
js-player-volume = Volume
js-player-stats = Statistiques
js-player-full-screen = Plein écran
js-player-live = EN DIRECT
js-player-reconnecting = Reconnexion…
js-player-connecting = Connexion…
js-player-no-webrtc = Ce navigateur ne peut pas lire les flux WebRTC.
js-player-server-answered = Le serveur a répondu { $status }.
js-player-restarting = Le serveur redémarre…
js-player-stream-stopped = Le flux n’arrive plus.
js-player-could-not-start = Impossible de lancer la lecture.
js-player-connection-lost = Connexion perdue.
js-tags-chosen = Mots-clés choisis
js-tags-add = Ajouter un mot-clé
js-tags-remove = Retirer le mot-clé { $tag }
js-tags-invalid = « { $tag } » n’est pas un mot-clé valide : utilisez de 2 à 18 lettres, chiffres, espaces, traits d’union ou deux-points.
js-tags-too-many = Une chaîne peut avoir au plus { $max } mots-clés.
js-hide = Masquer
js-show = Afficher
js-copied = Copié dans le presse-papiers.
js-copy-by-hand = Appuyez sur Ctrl+C (ou ⌘C) pour copier la clé sélectionnée.
channel-about = À propos de { $name }
js-player-compat-title = Mode compatibilité : lire via HLS (quelques secondes de délai en plus)
js-player-hls-link-title = Copier le lien HLS pour VLC et d’autres lecteurs
js-player-hls-link-label = Copier le lien HLS
js-player-hls-link = Lien HLS
js-player-pip = Image dans l’image
js-player-paused = En pause
js-player-no-player = Ce navigateur ne peut lire ni les flux WebRTC ni les flux HLS.
js-player-hls-not-loaded = Le lecteur HLS n’a pas pu être chargé.
js-player-copied = Copié
js-player-hls-prompt = Lien HLS pour les lecteurs externes :
js-hls-failed = Le flux HLS n’a pas pu être lu.
js-hls-ended = Le live est terminé.
js-hls-stopped = Le flux HLS s’est arrêté.
js-key-space = Espace
js-shortcut-play = Pause ou lecture
js-shortcut-mute = Couper ou rétablir le son
js-theatre = Mode cinéma
js-shortcut-help = Afficher ces raccourcis
js-shortcut-close = Fermer cette liste
js-shortcuts = Raccourcis clavier

## La page de modération

moderation-title = Modération · { $name }
moderation-act = Agir sur un participant
moderation-action = Action
moderation-short = Exclure 5 minutes
moderation-long = Exclure 15 minutes
moderation-apply = Appliquer
moderation-bans = Bannis et exclus
moderation-no-bans = Personne n’est banni ni exclu.
moderation-log = Journal de modération
moderation-log-empty = Rien pour l’instant.
moderation-when = Quand
moderation-chatter = Participant
moderation-banned = banni·e
moderation-timed-out-for = exclu·e pour encore { $minutes } minutes
moderation-deleted-user = compte supprimé
moderation-action-short-timeout = exclusion courte
moderation-action-long-timeout = exclusion longue
moderation-action-ban = bannissement
moderation-action-unban = débannissement
moderation-action-delete-message = message supprimé
moderation-action-slow-mode = mode lent
moderation-action-clear-chat = chat vidé
moderation-action-edit-title-and-tags = titre et mots-clés modifiés

## Channel header: uptime and the Share menu
js-channel-live-for = En direct depuis { $time }
channel-share = Partager
channel-share-options = Partager cette chaîne
channel-share-copy = Copier le lien
js-channel-share-copied = Copié
js-channel-share-copy-failed = Copie impossible. Le lien est { $url }
channel-share-x = Partager sur X (Twitter)
channel-share-reddit = Partager sur Reddit
