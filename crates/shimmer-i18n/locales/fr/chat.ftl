# Le panneau du chat et ce qu’affiche son script : badges, modération, refus, lignes système.

chat-jump = Nouveaux messages plus bas
chat-message-label = Message
chat-send = Envoyer
chat-login = <a href="/users/login">Connectez-vous</a> ou <a href="/users/register">inscrivez-vous</a> pour discuter.
chat-popout-title = Chat · { $name }

js-chat-title = Chat
js-chat-timestamps = Heures
js-chat-hide-times = Masquer l’heure des messages
js-chat-show-times = Afficher l’heure des messages
js-chat-rules = Règles du chat
js-chat-cancel-reply = Annuler la réponse
js-chat-mention-list = Personnes à mentionner
js-chat-placeholder = Envoyer un message
js-chat-emotes = Émotes
js-chat-load-failed = Le chat n’a pas pu se charger. Rechargez la page pour réessayer.
js-chat-start-failed = Le chat n’a pas pu démarrer. Rechargez la page pour réessayer.
js-chat-failed = Un problème est survenu dans le chat. Rechargez la page s’il ne se met plus à jour.
js-chat-connecting = Connexion au chat…
js-chat-reconnecting = Reconnexion…
js-chat-restarting = Le serveur du chat redémarre ; reconnexion…
js-chat-account-banned = Ce compte a été banni de la plateforme. Le chat est fermé.
js-chat-trouble = Le chat rencontre des difficultés.
js-chat-lagged = Le chat a pris du retard ; certains messages ont été sautés.
js-chat-refused = Cela a été refusé.
js-chat-type-first = Écrivez d’abord un message.
js-chat-cannot-chat-here = Vous ne pouvez pas discuter ici pour le moment.
js-chat-log-in = Connectez-vous pour discuter.
js-chat-not-connected-kept = Non connecté. Votre message est conservé ; renvoyez-le une fois le chat reconnecté.
js-chat-not-connected = Non connecté. Réessayez une fois le chat reconnecté.
js-chat-cannot-chat-now = Vous ne pouvez pas discuter pour le moment
js-chat-again-in = Vous pourrez de nouveau discuter dans { $time }.
js-chat-again-in-short = De nouveau possible dans { $time }
js-chat-banned = Vous êtes banni·e de ce chat.
js-chat-unbanned = Vous pouvez de nouveau discuter.
js-chat-timeout-over = Votre exclusion temporaire est terminée. Vous pouvez de nouveau discuter.
js-chat-timed-out-until = Vous êtes exclu·e temporairement jusqu’à { $time }.
js-chat-you-were-timed-out = Vous avez été exclu·e temporairement.
js-chat-you-were-timed-out-for = Vous avez été exclu·e temporairement pour { $length } (jusqu’à { $time }).
js-chat-you-are-timed-out = Vous êtes exclu·e temporairement de ce chat.
js-chat-you-are-timed-out-for = Vous êtes exclu·e temporairement de ce chat pour { $length } (jusqu’à { $time }).
js-chat-message-deleted = Un modérateur a supprimé l’un de vos messages.
js-chat-someone = quelqu’un
js-chat-replying-to = En réponse à @{ $name }
js-chat-replying-to-excerpt = En réponse à @{ $name } : { $excerpt }
js-chat-reply-removed = (message supprimé)
js-chat-reply = Répondre
js-chat-reply-to = Répondre à { $name }
js-chat-close = Fermer
js-chat-moderate = Modérer { $name }
js-chat-actions-for = Actions pour { $name }
js-chat-action-short-timeout = Exclure 5 min
js-chat-action-long-timeout = Exclure 15 min
js-chat-action-ban = Bannir
js-chat-action-unban = Débannir
js-chat-action-delete = Supprimer ce message
js-chat-action-report = Signaler
js-chat-done-short-timeout = { $name } a été exclu·e pour 5 minutes.
js-chat-done-long-timeout = { $name } a été exclu·e pour 15 minutes.
js-chat-done-ban = { $name } a été banni·e.
js-chat-done-unban = { $name } a été débanni·e.
js-chat-done-delete = Un message de { $name } a été supprimé.
js-chat-done-other = { $name } a été modéré·e.
js-badge-streamer = Streamer
js-badge-streamer-title = Personne qui diffuse
js-badge-moderator = Modo
js-badge-moderator-title = Modérateur
js-badge-subscriber = Abo
js-badge-subscriber-title = Abonné·e
js-badge-staff = Équipe
js-badge-staff-title = Équipe de Shimmer
js-badge-founder = Fondateur
js-badge-founder-title = Membre fondateur : soutient ce site
js-badge-supporter = Soutien
js-badge-supporter-title = Soutien : soutient ce site

## Lignes système

js-chat-followed = { $name } vient de suivre la chaîne !
js-chat-subscribed = { $name } vient de s’abonner !
js-chat-donated = { $name } vient de donner { $amount } !
js-chat-gifted = { $name } a offert un abonnement à { $recipient } !
js-chat-raid-outgoing-one = { $from } lance un raid sur { $to } avec { $count } spectateur !
js-chat-raid-outgoing-other = { $from } lance un raid sur { $to } avec { $count } spectateurs !
js-chat-raid-incoming-one = { $from } arrive en raid avec { $count } spectateur !
js-chat-raid-incoming-other = { $from } arrive en raid avec { $count } spectateurs !

## Fiches des participants

js-card-loading = Chargement…
js-card-too-many = Trop de fiches ouvertes à la fois. Réessayez dans un instant.
js-card-failed = Cette fiche n’a pas pu se charger.
js-card-created = Compte créé le { $date } ({ $age })
js-card-not-following = Ne suit pas cette chaîne
js-card-following-since = Suit la chaîne depuis le { $date } ({ $age })
js-card-banned = Banni·e de ce chat
js-card-timed-out-until = Exclu·e jusqu’à { $time }
js-card-in-good-standing = Ni banni·e ni exclu·e ici
js-card-no-history = Aucun historique de modération ici
js-card-history = Historique de modération ici
js-card-history-step = { $what }, { $date }
js-card-history-step-by = { $what } par { $moderator }, { $date }
js-card-history-short-timeout = Exclusion de 5 min
js-card-history-long-timeout = Exclusion de 15 min
js-card-history-ban = Bannissement
js-card-history-unban = Débannissement
js-card-history-delete = Message supprimé

## Les règles de la chaîne et les refus reçus dans le chat

chat-rule-age = Les comptes peuvent discuter une fois âgés de { $hours } heures.
chat-rule-email = Une adresse e-mail confirmée est nécessaire pour discuter.
chat-rule-subscribers = Seuls les abonnés peuvent discuter.
chat-rule-links = Les liens ne sont pas autorisés.
chat-rule-slow = Mode lent : un message toutes les { $seconds } secondes.
chat-refusal-banned = Vous êtes banni·e de ce chat.
chat-refusal-timed-out = Vous êtes exclu·e de ce chat pour encore { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
chat-refusal-email = Cette chaîne exige une adresse e-mail confirmée pour discuter. Confirmez la vôtre avec le lien que nous vous avons envoyé (Paramètres → Sécurité permet de le renvoyer).
chat-refusal-subscribers = Seuls les abonnés peuvent discuter ici pour le moment. Abonnez-vous depuis la page de la chaîne pour participer.
chat-refusal-account-age = Cette chaîne laisse discuter les comptes âgés de { $hours } heures. Vous pourrez discuter dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
chat-refusal-links = Cette chaîne n’autorise pas les liens dans le chat.
chat-refusal-slow = Le mode lent est activé : vous pourrez envoyer un autre message dans { $seconds } secondes.
chat-refusal-duplicate = Vous venez d’envoyer ce message. Dites autre chose, ou patientez un peu.
