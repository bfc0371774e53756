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
