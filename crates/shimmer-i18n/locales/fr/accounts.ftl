# Inscription, connexion, mots de passe, connexion en deux étapes, le compte, les profils et les signalements.

## Connexion et inscription

auth-login-field = Nom d’utilisateur ou adresse e-mail
auth-remember = Rester connecté·e pendant 30 jours
auth-forgot = Mot de passe oublié ?
auth-create-account = Créer un compte
auth-register-heading = Créez votre compte
auth-username-help = De 3 à 24 lettres, chiffres, _ ou . — c’est aussi l’adresse de votre chaîne.
auth-password-help = Au moins 8 caractères.
auth-trap = Site web (laissez ce champ vide)
auth-have-account = Vous avez déjà un compte ? <a href="/users/login">Connectez-vous</a>.

## Mots de passe

auth-reset-heading = Réinitialiser votre mot de passe
auth-reset-sent = Si un compte utilise cette adresse, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Le lien fonctionne une fois et expire au bout d’une heure.
auth-reset-email = L’adresse e-mail de votre compte
auth-reset-send = M’envoyer un lien
auth-new-password-heading = Choisissez un nouveau mot de passe
auth-new-link = Demander un nouveau lien
auth-new-password = Nouveau mot de passe
auth-save-password = Enregistrer le nouveau mot de passe
auth-link-heading = Connectez-vous avec votre lien
auth-go-to-login = Aller à la connexion
auth-link-text = La connexion à ce compte a été suspendue après de nombreuses tentatives échouées, et votre mot de passe correct vous a envoyé ce lien. Appuyez sur le bouton pour vous connecter.
auth-confirm-heading = Confirmez votre adresse e-mail
auth-confirm-text = Appuyez sur le bouton pour confirmer cette adresse pour votre compte Shimmer.
auth-confirm-button = Confirmer mon adresse e-mail

## Connexion en deux étapes

auth-code-heading = Saisissez votre code
auth-code-text = Votre compte utilise la connexion en deux étapes. Saisissez le code à six chiffres de votre application d’authentification ou l’un de vos codes de récupération.
auth-code = Code
auth-start-again = Recommencer
two-factor-title = Connexion en deux étapes
two-factor-required = Les comptes de l’équipe doivent utiliser la connexion en deux étapes. Configurez-la pour continuer.
two-factor-on = La connexion en deux étapes est <strong>activée</strong>. Codes de récupération inutilisés : { $count }.
two-factor-off-heading = La désactiver
auth-current-password = Mot de passe actuel
auth-code-or-recovery = Code de votre application (ou un code de récupération)
two-factor-turn-off = Désactiver la connexion en deux étapes
two-factor-scan = Scannez ce code avec une application d’authentification (comme Aegis, Google Authenticator ou 1Password), puis saisissez le code à six chiffres qu’elle affiche.
two-factor-qr-alt = Code QR pour votre application d’authentification
two-factor-manual = Impossible de le scanner ? Saisissez cette clé à la main :
two-factor-six-digits = Code à six chiffres
two-factor-turn-on = Activer la connexion en deux étapes
two-factor-is-on = La connexion en deux étapes est activée
two-factor-keep-codes = Conservez ces codes de récupération en lieu sûr. Chacun fonctionne une fois à la place d’un code de votre application, si vous perdez votre téléphone. Ils ne sont affichés que maintenant.
two-factor-done = Terminé

## La page du compte

account-rename-heading = Changer de nom d’utilisateur
account-rename-text = Votre nom d’utilisateur est <strong>{ $username }</strong>. Vous pouvez le changer une fois tous les 30 jours ; votre ancien nom reste réservé quelque temps pour que personne ne puisse le prendre aussitôt.
account-new-username = Nouveau nom d’utilisateur
account-rename-button = Changer de nom d’utilisateur
account-email-hint = Pour changer d’adresse e-mail, allez dans <a href="/users/settings/security">Sécurité</a>.
account-export-heading = Télécharger vos données
account-export-text = Un fichier zip avec votre profil, vos préférences, votre chaîne et vos messages de chat au format JSON.
account-export-button = Télécharger mes données
account-delete-heading = Supprimer votre compte
account-delete-text = Cela supprime immédiatement votre compte et votre chaîne, sans retour possible. Vos messages restent dans les chats des autres chaînes, affichés comme venant d’un compte supprimé.
account-delete-confirm = Je comprends que cette action est irréversible.
account-delete-button = Supprimer mon compte

## Chaînes pour adultes

mature-heading = { $name } diffuse du contenu pour adultes
mature-text = Cette chaîne est marquée pour adultes : elle peut montrer des contenus qui ne conviennent pas à tout le monde.
mature-continue = Continuer vers la chaîne
mature-back = Retour à l’accueil
mature-preferences = Vous pouvez désactiver cet avertissement dans vos <a href="/preferences">préférences</a>.

## Profils

profile-live-now = En direct : regarder
profile-followers = { $count ->
        [one] { $count } abonné
       *[other] { $count } abonnés
    }
profile-following = { $count } abonnements
profile-intro-video = Vidéo de présentation
profile-report = Signaler { $name }
profile-go-to-channel = Aller à la chaîne

## Signalements

report-intro = Les signalements sont transmis à l’équipe, qui examine chacun d’eux. Seule l’équipe voit qui l’a envoyé.
report-where = Où cela s’est-il passé ?
report-location-stream = Dans la vidéo du live
report-what = Quel est le problème ?
report-reason-hate = Discours haineux ou harcèlement
report-notes = Ce que l’équipe devrait savoir (facultatif)
report-send = Envoyer le signalement
report-location-chat = Dans le chat du live
report-location-profile = Dans le texte du profil ou l’avatar
report-location-username = Dans le nom d’utilisateur
report-location-elsewhere = Ailleurs
report-reason-inappropriate = Contenu inapproprié ou pour adultes non signalé
report-reason-copyright = Violation du droit d’auteur ou de la loi
report-reason-spam = Spam ou arnaques
report-reason-other = Autre chose
report-bad-message = Le message de chat de ce signalement n’est pas valide.
report-thanks = Merci
report-sent = Votre signalement concernant { $username } a été transmis à l’équipe.
auth-confirmed = Merci, { $username } ! Votre adresse { $email } est confirmée. Vous pouvez maintenant diffuser.
auth-find-stream-key = Trouver votre clé de diffusion
account-delete-tick = Cochez la case pour confirmer la suppression.
two-factor-staff-keep = Les comptes de l’équipe doivent garder la connexion en deux étapes activée.
profile-avatar-too-large = Ce fichier est trop volumineux : les avatars font au plus 2 Mo.
