# Préférences et pages de paramètres.

title-preferences = Préférences
preferences-signed-out = Vous n’êtes pas connecté·e : ces préférences ne valent que pour ce navigateur.
preferences-theme = Thème
preferences-timestamps = Afficher l’heure à côté des messages du chat
preferences-mature = Afficher les chaînes pour adultes sans demander
preferences-color = Couleur du nom dans le chat
preferences-color-account = Celle de mon compte ({ $color })
preferences-color-help = Chaque couleur reste lisible avec le thème clair comme avec le thème sombre.
preferences-save = Enregistrer les préférences
color-red = Rouge
color-orange = Orange
color-amber = Ambre
color-olive = Olive
color-green = Vert
color-teal = Sarcelle
color-cyan = Cyan
color-blue = Bleu
color-indigo = Indigo
color-purple = Violet
color-magenta = Magenta
color-pink = Rose

## Le menu des paramètres

settings-menu = Menu des paramètres
settings-channel = Chaîne
settings-stream-key = Clé de diffusion
settings-poster = Affiche
settings-chat = Chat
settings-moderators = Modérateurs
settings-dashboard = Tableau de bord
settings-account = Compte
settings-security = Sécurité
settings-developer = Développement
settings-developer-apps = Mes applications
settings-payouts = Versements
settings-subscriptions = Abonnements

## Paramètres de la chaîne

settings-channel-address = Votre chaîne se trouve à <a href="/{ $username }">/{ $username }</a>.
settings-stream-title = Titre du live
settings-subcategory-help = (un jeu, un style ou un sujet : choisissez-en un ou saisissez-en un nouveau)
settings-tags-help = (jusqu’à 10, de 2 à 18 lettres, chiffres, espaces, - ou :)
settings-tags-commas = Séparez les mots-clés par des virgules. Les suggestions viennent de la catégorie choisie.
settings-mature = Contenu pour adultes (les spectateurs sont avertis avant la lecture)
settings-hide-viewers = Masquer le nombre de spectateurs sur la page de ma chaîne
settings-auto-host = Hébergement automatique
settings-auto-host-example = Noms d’utilisateur séparés par des virgules, par exemple : ana, bob
settings-save-channel = Enregistrer la chaîne
settings-auto-host-help = (jusqu’à 5 chaînes, la préférée d’abord : quand vous êtes hors ligne, votre page diffuse la première d’entre elles en direct)

## Clé de diffusion

stream-confirm-first = Confirmez votre adresse e-mail avant de diffuser : le serveur refuse les lives des comptes non confirmés. <a href="/users/settings/security">Renvoyer l’e-mail de confirmation</a>.
stream-keep-secret = Gardez votre clé secrète : quiconque la possède peut diffuser sur votre chaîne.
stream-connect = Connecter votre encodeur
stream-rtmp = RTMP (OBS, ffmpeg, vMix, encodeurs matériels)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> avec votre clé de diffusion comme clé.
stream-whip = WHIP (OBS 30 et versions ultérieures, navigateurs)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> avec votre clé de diffusion comme jeton du porteur.
stream-ftl = Hôte <code>{ $host }</code>, port { $port }, avec votre clé de diffusion.
stream-obs-rtmp = Dans OBS : Paramètres → Stream, service « Personnalisé… », collez le serveur RTMP et la clé. Puis Paramètres → Sortie (Avancé) : intervalle d’images clés 2 s, profil main et, pour x264, le réglage « zerolatency » (images B à 0) : les lecteurs WebRTC des navigateurs ne peuvent pas réordonner les images B.
stream-obs-whip = WHIP dans OBS 30 ou ultérieur : Paramètres → Stream, service « WHIP », Serveur : l’URL WHIP ci-dessus, Jeton du porteur : votre clé de diffusion. La vidéo est en H.264 (x264 avec le réglage « zerolatency », images clés toutes les 2 s), l’audio en Opus : les réglages par défaut d’OBS pour WHIP.
stream-your-key = Votre clé de diffusion
stream-copy = Copier
stream-rotate-text = Le renouvellement crée aussitôt une nouvelle clé. L’ancienne ne fonctionne plus pour les nouvelles connexions.
stream-rotate = Renouveler la clé
stream-test = Testez votre configuration :
stream-or-whip = ou via WHIP :

## Sécurité

security-email-confirmed = Votre adresse est <strong>{ $email }</strong> (confirmée).
security-resend = Renvoyer l’e-mail de confirmation
security-new-email = Nouvelle adresse e-mail
security-change-email = Changer d’adresse e-mail
security-change-password = Changer de mot de passe
security-logs-out = Changer de mot de passe ou d’adresse e-mail vous déconnecte partout ailleurs.
security-sessions = Où vous êtes connecté·e
security-this-browser = (ce navigateur)
security-email-unconfirmed = Votre adresse est <strong>{ $email }</strong> (<span class="warning-text">pas encore confirmée</span>).
security-remembered = mémorisée
security-last-active = Dernière activité : { $when }

## Paramètres du chat

chat-settings-intro = Les règles que chaque message de votre chat doit respecter. Vous, vos modérateurs et l’équipe êtes exemptés des règles d’accès.
chat-settings-age = Âge minimal du compte pour discuter (heures, 0–720)
chat-settings-slow = Mode lent : secondes entre deux messages d’une même personne (0 = désactivé)
chat-settings-email = Exiger une adresse e-mail confirmée pour discuter
chat-settings-block-links = Refuser les messages contenant des liens
chat-settings-clickable = Rendre les liens du chat cliquables (sinon affichés en texte simple)
chat-settings-recent = Ne montrer que la dernière heure du chat aux personnes qui arrivent
chat-settings-subscribers = Seuls les abonnés peuvent discuter (et les modérateurs)
chat-settings-raids = Autoriser les autres streamers à lancer un raid sur cette chaîne (envoyer leurs spectateurs ici avec /raid)
chat-settings-save = Enregistrer les paramètres du chat

## Modérateurs

moderators-intro = Les modérateurs agissent depuis le chat (en cliquant sur un nom) et depuis la <a href="/{ $username }/moderation">page de modération</a> de votre chaîne. Choisissez ce que chacun peut faire.
moderators-add-heading = Ajouter un modérateur
moderators-may = Peut
moderators-may-short = exclure 5 minutes
moderators-may-long = exclure 15 minutes
moderators-may-ban = bannir
moderators-may-unban = débannir
moderators-may-delete = supprimer des messages
moderators-may-edit = modifier le titre et les mots-clés du live (éditeur)
moderators-add = Ajouter le modérateur
moderators-yours = Vos modérateurs
moderators-none = Pas encore de modérateurs.
moderators-short = exclusions de 5 minutes
moderators-long = exclusions de 15 minutes
moderators-bans = bannissements
moderators-unbans = débannissements
moderators-deleting = suppression de messages
moderators-editing = modification du titre et des mots-clés

## Affiche

poster-intro = Votre affiche s’affiche dans le lecteur de <a href="/{ $username }">/{ $username }</a> quand vous êtes hors ligne, et sur la carte de votre chaîne. JPEG ou PNG, au moins 160×90 et au plus 4096×4096 pixels, jusqu’à 4 Mo ; elle est recadrée en 16:9.
poster-current = Votre affiche actuelle
poster-none = Vous n’avez pas encore d’affiche ; hors ligne, votre chaîne montre une image unie.
poster-image = Image
poster-upload = Téléverser l’affiche
poster-remove = Retirer l’affiche

## Paramètres du profil

profile-settings-see = Voir votre profil public
profile-settings-avatar = Photo de profil
profile-settings-your-avatar = Votre photo de profil
profile-settings-image = Image (PNG, JPEG ou GIF, jusqu’à 2 Mo)
profile-settings-upload = Téléverser la photo
profile-settings-about = À propos de vous
profile-settings-display-name = Nom affiché
profile-settings-display-help = La façon dont votre nom s’affiche. Il ne peut différer de votre nom d’utilisateur <strong>{ $username }</strong> que par les majuscules et minuscules.
profile-settings-pronouns = Pronoms
profile-settings-pronouns-example = elle, il, iel…
profile-settings-bio = Présentation (Markdown)
profile-settings-live-message = Message affiché sur votre profil pendant vos lives
profile-settings-youtube = Vidéo de présentation YouTube (lien ou identifiant)
profile-settings-links = Liens
profile-settings-save = Enregistrer le profil

## Panneaux de présentation

settings-panels = Panneaux de présentation
panels-intro = Les panneaux s’affichent sous le lecteur sur <a href="/{ $username }">/{ $username }</a> : votre planning, vos liens, vos règles. Jusqu’à { $max } panneaux, chacun avec un titre de { $title_max } caractères au plus et { $body_max } caractères de Markdown au plus (<strong>**gras**</strong>, <em>*italique*</em>, listes et liens comme <code>[mon site](https://example.com)</code> ; le HTML s’affiche tel que saisi).
panels-new = Nouveau panneau
panels-text = Texte
panels-place = Position
panels-remove = Retirer ce panneau
panels-full = Vous avez { $max } panneaux, le maximum qu’une chaîne peut afficher. Retirez-en un pour en ajouter un autre.
panels-save = Enregistrer les panneaux
panels-number = Panneau { $number }

## Applications autorisées

authorizations-intro = Les applications que vous avez autorisées à utiliser votre compte. Révoquer met fin à leur accès immédiatement.
authorizations-none = Vous n’avez autorisé aucune application.
authorizations-last = Dernière autorisation : { $when }.
authorizations-revoke = Révoquer
authorizations-can = Peut :
scope-public = Voir votre profil public et les informations de votre chaîne
scope-email = Voir votre adresse e-mail
scope-chat = Envoyer des messages et modérer des chats en votre nom
scope-streamkey = Voir votre clé de diffusion
scope-follow = Suivre des chaînes et cesser de les suivre en votre nom
scope-stream_info = Modifier le titre et la catégorie de votre live
scope-staff = Utiliser vos outils d’équipe en votre nom : consulter des comptes et leurs données privées (chaque consultation est inscrite au journal d’audit)

## Autoriser une application

oauth-title = Autoriser { $app }
oauth-made-by = Créée par { $owner }
oauth-wants = <strong>{ $app }</strong> souhaite utiliser votre compte <strong>{ $account }</strong> pour :
oauth-after = Après votre réponse, vous serez redirigé·e vers <strong>{ $host }</strong>. Vous pouvez révoquer l’accès à tout moment dans Paramètres → Applications autorisées.
oauth-authorize = Autoriser
oauth-deny = Refuser

## Émotes

emotes-intro = Les émotes de la chaîne portent le préfixe à cinq caractères de votre chaîne. L’équipe examine chacune avant qu’elle puisse être utilisée. PNG ou GIF, carrées, de 28 à 512 pixels ; fixes jusqu’à 256 Ko, animées jusqu’à 1 Mo.
emotes-prefix-heading = Préfixe
emotes-prefix = Préfixe des émotes (5 lettres ou chiffres)
emotes-save-prefix = Enregistrer le préfixe
emotes-upload-heading = Téléverser une émote
emotes-name = Nom après le préfixe
emotes-yours = Vos émotes
emotes-none = Pas encore d’émotes.
emotes-subscribers-only-mark = réservée aux abonnés
emotes-let-everyone = Ouvrir à tout le monde
emotes-subscribers-only = Réserver aux abonnés
emotes-status-pending = en attente d’examen
emotes-status-approved = approuvée
emotes-status-rejected = refusée
emotes-too-large = Ce fichier est trop volumineux : les émotes font au plus 1 Mo.
emotes-choose-review = Choisissez approuver ou refuser.

## Mes applications

apps-intro = Les applications utilisent l’API au nom des personnes qui les autorisent (OAuth2), ou en leur propre nom avec leur identifiant client et leur secret.
apps-none = Vous n’avez pas encore d’application.
apps-ingest = Ingestion
apps-new = Nouvelle application
apps-create = Créer l’application
apps-ingest-notice = Ceci est l’identifiant d’ingestion : ses jetons client_credentials peuvent démarrer et arrêter des lives et lire les clés de diffusion. Ne gardez son secret que sur les serveurs d’ingestion.
apps-client-id = Identifiant client
apps-secret-once = Secret client (affiché cette fois seulement)
apps-created = Créée le { $when }. Point d’accès des jetons : <code>/api/oauth/token</code> ; autorisation : <code>/oauth/authorize</code>.
apps-details = Informations
apps-logo = Logo
apps-logo-help = PNG, JPEG ou GIF, jusqu’à 1024×1024 pixels et 512 Ko
apps-upload-logo = Téléverser le logo
apps-secret = Secret client
apps-rotate-text = Le renouvellement crée aussitôt un nouveau secret ; l’ancien ne fonctionne plus. Les jetons déjà émis continuent de fonctionner.
apps-rotate = Renouveler le secret
apps-delete-link = Supprimer l’application…
apps-name = Nom
apps-description = Description (facultative)
apps-homepage = Page d’accueil (facultative)
apps-redirects = URI de redirection, une par ligne
apps-redirects-help = HTTPS est obligatoire, sauf pour cet ordinateur : http://127.0.0.1, http://localhost et http://[::1] (n’importe quel port).
apps-delete-heading = Supprimer { $app } ?
apps-delete-text = Supprimer l’application révoque tous les jetons émis pour elle, pour chaque personne qui l’a autorisée. Cette action est irréversible.
apps-delete-type = Saisissez <strong>{ $app }</strong> pour confirmer
apps-delete = Supprimer l’application
apps-logo-too-large = Ce fichier est trop volumineux : les logos font au plus 512 Ko.
apps-delete-title = Supprimer { $app }
apps-delete-confirm-refused = Saisissez exactement le nom de l’application pour confirmer la suppression.

## Channel settings: chat background
settings-chat-background = Arrière-plan du chat
settings-chat-background-help = Une image JPEG ou PNG de 4 Mo au plus et d’au moins 160×90 pixels, affichée derrière votre chat sur la page de votre chaîne et dans le chat détaché (jamais dans la superposition transparente). Un voile par-dessus garde les messages lisibles.
settings-chat-background-current = Votre arrière-plan de chat actuel
settings-chat-background-none = Votre chat n’a pas d’image d’arrière-plan.
settings-chat-background-image = Image
settings-chat-background-upload = Envoyer l’arrière-plan du chat
settings-chat-background-remove = Retirer l’arrière-plan du chat
chat-background-too-large = Ce fichier est trop volumineux : les arrière-plans de chat font 4 Mo au plus.
chat-background-unreadable = L’envoi n’a pas pu être lu. Réessayez.
notice-chat-background-saved = Votre arrière-plan de chat est enregistré.
notice-chat-background-removed = Votre arrière-plan de chat a été retiré.
