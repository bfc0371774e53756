# Commandes du chat : mode d’emploi, refus et réponses dans la langue de la personne. Les
# commandes et leurs options (off) se tapent telles quelles dans toutes les langues.

commands-usage-timeout = Utilisation : /timeout <pseudo> [secondes]
commands-usage-ban = Utilisation : /ban <pseudo>
commands-usage-unban = Utilisation : /unban <pseudo>
commands-usage-slow = Utilisation : /slow <secondes|off>
commands-usage-raid = Utilisation : /raid <chaîne>
commands-usage-me = Utilisation : /me <action>
commands-not-seconds-timeout = « { $value } » n’est pas un nombre de secondes. Utilisation : /timeout <pseudo> [secondes]
commands-not-seconds-slow = « { $value } » n’est pas un nombre de secondes. Utilisation : /slow <secondes|off>
commands-empty = Tapez une commande après le /, ou /help.
commands-unknown = La commande /{ $command } n’existe pas. Tapez /help pour voir la liste.
commands-forbidden = Seuls le streamer et les modérateurs peuvent utiliser cette commande.
commands-raid-forbidden = Seul le streamer peut lancer un raid depuis cette chaîne.
commands-unknown-user = Aucun utilisateur ne s’appelle { $name }.
commands-help =
    /me <action> : dire ce que vous faites
    /timeout <pseudo> [secondes] : empêcher quelqu’un d’écrire un moment (par défaut { $seconds } s ; modérateurs)
    /ban <pseudo>, /unban <pseudo> : bannir de ce chat ou y réadmettre (modérateurs)
    /slow <secondes|off> : un message par personne toutes les tant de secondes (modérateurs)
    /clear : effacer tous les messages affichés dans ce chat (modérateurs)
    /raid <chaîne> : envoyer vos spectateurs sur une autre chaîne en direct (le streamer, pendant son direct)
    /help : cette liste. Commencez un message par // pour l’envoyer avec un seul /.
commands-timed-out = { $name } ne peut plus écrire pendant { $unit ->
        [hours] { $count ->
            [one] 1 heure
           *[other] { $count } heures
        }
        [minutes] { $count ->
            [one] 1 minute
           *[other] { $count } minutes
        }
       *[seconds] { $count ->
            [one] 1 seconde
           *[other] { $count } secondes
        }
    }.
commands-banned = { $name } a été banni de ce chat.
commands-unbanned = { $name } peut de nouveau écrire ici.
commands-slow-off = Le mode lent est désactivé.
commands-slow-on = Le mode lent est activé : un message par personne toutes les { $unit ->
        [hours] { $count ->
            [one] 1 heure
           *[other] { $count } heures
        }
        [minutes] { $count ->
            [one] 1 minute
           *[other] { $count } minutes
        }
       *[seconds] { $count ->
            [one] 1 seconde
           *[other] { $count } secondes
        }
    }.
commands-raiding = Raid vers { $name } avec { $count ->
        [one] 1 spectateur
       *[other] { $count } spectateurs
    }. Vos spectateurs sont en route.
commands-cleared = Le chat a été vidé ({ $count ->
        [one] 1 message
       *[other] { $count } messages
    }).
