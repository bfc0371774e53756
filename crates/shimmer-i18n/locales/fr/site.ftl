# La mise en page commune, l’accueil, la recherche, l’exploration et les pages d’erreur.

site-description = Shimmer est un site de streaming en direct que chacun peut héberger : regardez des lives, discutez avec celles et ceux qui les font, et lancez-vous à votre tour.

## En-tête et pied de page

nav-skip = Aller au contenu
nav-main = Navigation principale
nav-home = Accueil
nav-my-channel = Ma chaîne
nav-settings = Paramètres
nav-staff = Équipe
nav-reports = Signalements
nav-support = Assistance
nav-emotes = Émotes
nav-paydays = Jours de paie
nav-payment-events = Événements de paiement
nav-log-out = Se déconnecter
nav-log-in = Se connecter
nav-sign-up = S’inscrire
theme-label = Thème de couleurs
theme-light = Clair
theme-dark = Sombre
theme-auto = Automatique
theme-system = Comme mon appareil
footer-tagline = Shimmer : le streaming en direct que vous pouvez héberger vous-même.
footer-dev-mailbox = Boîte aux lettres de développement
footer-about = À propos de ce site
footer-terms = Conditions
footer-privacy = Confidentialité
footer-guidelines = Règles
footer-copyright = Droits d’auteur
footer-faq = Questions fréquentes
footer-support = Contacter l’assistance
footer-preferences = Préférences
footer-language = Langue
footer-language-apply = Changer de langue

## Mots communs

badge-live = En direct
badge-offline = Hors ligne
badge-mature = Adulte
badge-following = Suivi
button-save = Enregistrer
button-cancel = Annuler
button-delete = Supprimer
button-remove = Retirer
button-upload = Téléverser
field-title = Titre
field-category = Catégorie
field-no-category = Aucune catégorie
field-subcategory = Sous-catégorie
field-subcategory-help = (choisissez-en une ou saisissez-en une nouvelle)
field-tags = Mots-clés
field-tags-help = (jusqu’à 10, de 2 à 18 caractères chacun)
field-language = Langue
field-mature = Contenu pour adultes
field-username = Nom d’utilisateur
field-email = Adresse e-mail
field-password = Mot de passe
field-optional = (facultatif)
yes = Oui
no = Non
none = Aucun

## Accueil

title-live-streams = Lives
home-hero-title = Des lives de gens qui créent, en ce moment même
home-hero-text = Regardez de l’art, de la musique, des jeux et des discussions en train de se faire, discutez avec la personne qui diffuse et suivez des chaînes pour savoir quand elles passent en direct. Shimmer est gratuit et chacun peut l’héberger.
home-start-streaming = Commencer à diffuser
home-find-channel = Trouver une chaîne
home-followed-heading = Chaînes suivies en direct
home-followed-none = Aucune des chaînes que vous suivez n’est en direct.
home-featured = Chaîne en direct à la une
home-no-channels = Aucune chaîne n’a encore diffusé.
home-no-channels-set-up = <a href="/users/settings/stream">Configurez votre diffusion</a> pour être la première chaîne.
home-no-channels-sign-up = <a href="/users/register">Inscrivez-vous</a> et soyez la première personne à passer en direct.
home-live-now = En direct maintenant
home-every-stream = Tous les lives, par langue
home-recently-live = En direct récemment
categories-heading = Catégories
card-watching = Spectateurs : { $count }
card-watch = Regarder { $name }
category-live =
    { $count ->
        [0] personne en direct
       *[other] { $count } en direct
    }

## Recherche et exploration

search-heading = Recherche
search-browse-heading = Rechercher et explorer
search-title = Recherche : { $query }
search-description = Recherchez les chaînes, catégories et mots-clés de Shimmer.
search-label = Rechercher des chaînes, catégories et mots-clés
search-placeholder = Rechercher des chaînes
search-button = Rechercher
search-help = Le nom d’une personne qui diffuse, des mots d’un titre de live, une catégorie ou un mot-clé, jusqu’à { $max } caractères. Les petites fautes de frappe ne gênent pas.
search-channels = Chaînes
search-tags = Mots-clés
search-none = Rien ne correspond à « { $query } ». Vérifiez l’orthographe, essayez avec moins de mots ou <a href="/search">explorez toutes les catégories et chaînes</a>.
search-more = Affichage des { $count } premières chaînes. Ajoutez un mot pour affiner la recherche.
search-tag-in = dans { $category }
streams-category-heading = Lives { $category }
streams-tagged-heading = { $heading } avec le mot-clé { $tag }
streams-none = Personne n’est en direct ici pour le moment.
streams-all = Toutes
streams-search = Rechercher des personnes et des titres
streams-any-language = Toutes les langues
streams-find = Trouver

## Les catégories prédéfinies

category-art = Art
category-music = Musique
category-tech = Technologie
category-irl = IRL
category-education = Éducation
category-gaming = Jeux vidéo

## Langues des lives

language-en = English (anglais)
language-ar = العربية (arabe)
language-da = Dansk (danois)
language-de = Deutsch (allemand)
language-es = Español (espagnol)
language-fi = Suomi (finnois)
language-fr = Français
language-hi = हिन्दी (hindi)
language-it = Italiano (italien)
language-ja = 日本語 (japonais)
language-ko = 한국어 (coréen)
language-nl = Nederlands (néerlandais)
language-no = Norsk (norvégien)
language-pl = Polski (polonais)
language-pt = Português (portugais)
language-ru = Русский (russe)
language-sv = Svenska (suédois)
language-tr = Türkçe (turc)
language-uk = Українська (ukrainien)
language-zh = 中文 (chinois)
language-other = Autre

## Durées

time-just-now = à l’instant
time-minutes-ago =
    { $count ->
        [one] il y a { $count } minute
       *[other] il y a { $count } minutes
    }
time-hours-ago =
    { $count ->
        [one] il y a { $count } heure
       *[other] il y a { $count } heures
    }
time-days-ago =
    { $count ->
        [one] il y a { $count } jour
       *[other] il y a { $count } jours
    }
time-months-ago =
    { $count ->
        [one] il y a { $count } mois
       *[other] il y a { $count } mois
    }
time-years-ago =
    { $count ->
        [one] il y a { $count } an
       *[other] il y a { $count } ans
    }

## Erreurs

error-home-link = Aller à l’accueil
error-not-found = Il n’y a rien à cette adresse. Vérifiez le lien ou trouvez des chaînes depuis l’accueil.
error-too-large = Cet envoi est trop volumineux.
error-internal = Un problème est survenu de notre côté. Veuillez réessayer dans un instant.
error-database = La base de données est indisponible. Veuillez réessayer dans une minute.
error-title = Erreur

## Messages après une redirection

notice-logged-in = Bon retour ! Vous êtes connecté·e.
notice-logged-out = Vous êtes déconnecté·e.
notice-thanks-subscribed = Merci pour votre abonnement ! Votre badge apparaîtra dans le chat dès que le paiement sera confirmé.
notice-thanks-donated = Merci pour votre don ! Il apparaîtra dans le chat dès que le paiement sera confirmé.
notice-payday-nothing = Rien n’attend d’être versé : aucun jour de paie n’a été préparé.
notice-payday-paid = Tous les virements sont passés. Chaque streamer reçoit un e-mail.
notice-payday-failures = Certains virements ont échoué : consultez les lignes ci-dessous, puis relancez-les.
notice-thanks-gifted = Merci ! Votre cadeau apparaîtra dans le chat dès que le paiement sera confirmé.
notice-gifts-saved = Votre réglage des cadeaux est enregistré.
notice-button-saved = Le réglage du bouton S’abonner de votre chaîne est enregistré.
notice-emote-saved = Le réglage de l’émote est enregistré.
notice-event-replayed = L’événement est de nouveau en file d’attente et sera traité dans un instant.
notice-profile-saved = Votre profil est enregistré.
notice-channel-saved = Les paramètres de votre chaîne sont enregistrés.
notice-stream-saved = Les informations du live sont enregistrées.
notice-key-rotated = Votre clé de diffusion a été renouvelée. Mettez la nouvelle clé dans votre encodeur.
notice-password-changed = Votre mot de passe a été modifié. Les autres appareils ont été déconnectés.
notice-confirmation-sent = Nous vous avons envoyé un nouveau lien de confirmation.
notice-session-revoked = Cet appareil a été déconnecté.
notice-chat-saved = Les paramètres de votre chat sont enregistrés.
notice-prefix-saved = Votre préfixe d’émotes est enregistré.
notice-emote-uploaded = Votre émote est téléversée.
notice-emote-deleted = L’émote a été supprimée.
notice-emote-reviewed = L’examen est enregistré.
notice-moderator-saved = Les droits du modérateur sont enregistrés.
notice-moderator-removed = Le modérateur a été retiré.
notice-moderated = C’est fait. L’action figure dans le journal de modération.
notice-poster-saved = Votre affiche est enregistrée.
notice-poster-removed = Votre affiche a été retirée.
notice-password-reset = Votre mot de passe a été modifié. Connectez-vous avec le nouveau.
notice-app-saved = Votre application est enregistrée.
notice-logo-saved = Le logo est enregistré.
notice-app-deleted = L’application et tous les jetons émis pour elle ont été supprimés.
notice-authorization-revoked = L’accès de l’application a été révoqué.
notice-avatar-saved = Votre avatar est téléversé.
notice-two-factor-disabled = La connexion en deux étapes est désactivée.
notice-login-expired = Votre connexion a pris trop de temps. Saisissez à nouveau votre mot de passe.
notice-username-changed = Votre nom d’utilisateur a été modifié.
notice-account-deleted = Votre compte a été supprimé.
notice-preferences-saved = Vos préférences sont enregistrées.
notice-report-updated = Le signalement a été mis à jour.
notice-support-sent = Votre message a été ajouté. L’équipe répond par e-mail.
notice-staff-done = C’est fait. L’étape figure dans le journal d’audit.
notice-signed-up = Bienvenue sur Shimmer ! Vous êtes connecté·e. Nous vous avons envoyé un lien pour confirmer votre adresse e-mail ; ouvrez-le quand vous pourrez.
notice-email-change-sent = Nous avons envoyé un lien à la nouvelle adresse. Votre adresse change quand vous l’ouvrez ; d’ici là, elle reste la même.
error-theme = Choisissez un thème : clair, sombre ou celui du système.
error-locale = Choisissez l’une des langues proposées.
status-400 = Requête incorrecte
status-401 = Non authentifié
status-403 = Interdit
status-404 = Introuvable
status-409 = Conflit
status-410 = Plus disponible
status-413 = Trop volumineux
status-415 = Format non pris en charge
status-422 = Impossible à traiter
status-429 = Trop de requêtes
status-500 = Erreur du serveur
status-503 = Service indisponible

## Titres de page

title-account = Compte
title-audit-log = Journal d’audit
title-authorized-apps = Applications autorisées
title-channel-settings = Paramètres de la chaîne
title-chat-settings = Paramètres du chat
title-choose-a-new-password = Choisissez un nouveau mot de passe
title-confirm-your-email = Confirmez votre adresse e-mail
title-contact-support = Contacter l’assistance
title-dashboard = Tableau de bord
title-developer-applications = Mes applications
title-email-confirmed = Adresse e-mail confirmée
title-emote-review = Examen des émotes
title-emotes = Émotes
title-enter-your-code = Saisissez votre code
title-growth-and-financial-report = Rapport de croissance et financier
title-log-in = Connexion
title-log-in-with-your-link = Connectez-vous avec votre lien
title-mailbox = Boîte aux lettres
title-moderators = Modérateurs
title-paydays = Jours de paie
title-payment-events = Événements de paiement
title-payouts = Versements
title-poster = Affiche
title-profile-settings = Paramètres du profil
title-recovery-codes = Codes de récupération
title-report = Signaler
title-report-sent = Signalement envoyé
title-reports = Signalements
title-request-received = Demande reçue
title-reset-your-password = Réinitialiser votre mot de passe
title-security-settings = Paramètres de sécurité
title-sign-up = Inscription
title-site-analytics = Statistiques du site
title-staff = Équipe
title-stream-key = Clé de diffusion
title-subscriptions = Abonnements
title-support-requests = Demandes d’assistance
title-two-factor-sign-in = Connexion en deux étapes
title-unsubscribed = Désinscription confirmée
title-your-support-requests = Vos demandes d’assistance

## Refus affichés par les formulaires

error-bad-credentials = Nom d’utilisateur, adresse e-mail ou mot de passe incorrect.
error-unauthenticated = Vous devez d’abord vous connecter.
error-forbidden = Vous n’avez pas le droit de faire cela.
error-rate-limited = Trop de tentatives. Réessayez dans { $seconds } secondes.
error-upload-unreadable = Le fichier envoyé n’a pas pu être lu. Réessayez.
title-about-panels = Panneaux de présentation
notice-panels-saved = Vos panneaux de présentation sont enregistrés.
site-page-english-only = Cette page n’existe qu’en anglais.
notice-app-created = Votre application est créée. Copiez le secret client maintenant : il n’est affiché qu’une fois.
notice-secret-rotated = Un nouveau secret client a été créé et l’ancien ne fonctionne plus. Copiez-le maintenant : il n’est affiché qu’une fois.
