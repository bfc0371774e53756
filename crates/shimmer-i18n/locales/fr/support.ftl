# Demandes d’assistance : le formulaire, les pages de la personne qui demande et la file de l’équipe.

support-intro = Demandez de l’aide à l’équipe pour tout ce qui concerne { $site }. Chaque demande reçoit un numéro, et nous répondons par e-mail.
support-log-in-first = Vous avez un compte ? <a href="/users/login">Connectez-vous</a> d’abord pour regrouper vos demandes.
support-report-hint = Pour signaler un compte, utilisez « Signaler » sur sa chaîne ou son profil.
support-email = Votre adresse e-mail
support-about = De quoi s’agit-il ?
support-choose-topic = Choisissez un sujet
support-category-account = Mon compte ou la connexion
support-subject = Objet
support-message = Votre message
support-send = Envoyer la demande
support-received = Demande n° { $id } reçue
support-sent-signed-in = Merci. Nous avons envoyé une confirmation à { $email }, et vous pouvez suivre la demande sur le site.
support-see = Voir votre demande
support-new = Nouvelle demande
support-none = Vous n’avez encore rien demandé à l’assistance.
support-updated = mise à jour { $when }
support-all = Toutes vos demandes
support-status-line = État : <strong data-testid="ticket-status">{ $status }</strong>
support-add = Compléter votre demande
support-closed-hint = Cette demande est fermée ; envoyer un message la rouvre.
support-note = note pour l’équipe
support-pages = Pages des demandes
pager-previous = Précédent
pager-page = Page { $number }
pager-next = Suivant
support-intro-signed-in = Demandez de l’aide à l’équipe pour tout ce qui concerne { $site }. Chaque demande reçoit un numéro, et nous répondons par e-mail à l’adresse de votre compte.
support-category-payments = Paiements, abonnements ou versements
support-category-streaming = Diffuser et passer en direct
support-category-technical = Quelque chose ne fonctionne pas sur le site
support-category-safety = Sécurité, harcèlement ou abus
support-category-other = Autre chose
support-status-open = Ouverte : en attente de l’équipe
support-status-answered = Répondue
support-status-closed = Fermée
support-status-unknown = Inconnu
support-sent-link = Merci. Nous avons envoyé une confirmation à { $email } avec un lien privé pour suivre la demande et lire nos réponses.
support-filed = envoyée { $when }
support-request-title = Demande d’assistance n° { $id }
