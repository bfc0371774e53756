# Les e-mails, dans la langue de la personne qui les reçoit. Texte brut ; les lignes vides séparent les paragraphes.

mail-confirm-subject = Confirmez votre adresse e-mail pour { $site }
mail-confirm-body =
    Bonjour { $username },

    Veuillez confirmer votre adresse e-mail en ouvrant ce lien :

    { $link }

    Le lien fonctionne une fois et expire dans { $hours } heures. Si vous ne vous êtes pas inscrit·e sur { $site }, vous pouvez ignorer cet e-mail.

mail-reset-subject = Réinitialisez votre mot de passe { $site }
mail-reset-body =
    Bonjour { $username },

    Quelqu’un (vous, espérons-le) a demandé à réinitialiser votre mot de passe. Ouvrez ce lien pour en choisir un nouveau :

    { $link }

    Le lien fonctionne une fois et expire dans { $minutes } minutes. Si vous n’avez rien demandé, ignorez cet e-mail ; votre mot de passe reste le même.

mail-new-email-subject = Confirmez votre nouvelle adresse e-mail pour { $site }
mail-new-email-body =
    Bonjour { $username },

    Pour faire de cette adresse celle de votre compte { $site }, ouvrez ce lien :

    { $link }

    Le lien fonctionne une fois et expire dans { $hours } heures. D’ici là, votre compte garde son adresse actuelle. Si vous n’avez rien demandé, vous pouvez ignorer cet e-mail.

mail-email-changing-subject = L’adresse e-mail de votre compte { $site } va changer
mail-email-changing-body =
    Bonjour { $username },

    Une personne connectée à votre compte { $site } a demandé à changer son adresse e-mail pour { $email }. Elle ne change que lorsque le lien envoyé à cette adresse est ouvert.

    Si ce n’était pas vous, changez votre mot de passe dès maintenant : { $security }

mail-sign-in-subject = Votre lien pour vous connecter à { $site }
mail-sign-in-body =
    Bonjour { $username },

    Quelqu’un (vous, espérons-le) a saisi votre mot de passe correctement alors que la connexion à { $site } était suspendue pour votre compte après de nombreuses tentatives échouées. Ouvrez ce lien pour vous connecter :

    { $link }

    Le lien fonctionne une fois et expire dans { $minutes } minutes. Si ce n’était pas vous, changez votre mot de passe : quelqu’un essaie peut-être de le deviner.

mail-live-subject = { $name } est en direct sur { $site }
mail-live-body =
    Bonjour { $username },

    { $streamer } est en direct : { $title }

    Regarder : { $watch }

    Vous recevez cet e-mail parce que vous suivez { $streamer } avec les alertes de live activées.
    Ne plus recevoir ces e-mails sur { $streamer }, en un clic :
    { $unsubscribe }

# E-mails de l’assistance, de l’équipe et des versements.

mail-support-received-subject = [#{ $id }] Nous avons reçu votre demande : { $subject }
mail-support-received-body =
    Merci d’avoir écrit à l’assistance de { $site }. Votre demande porte le numéro { $id } :

    { $subject }
    ({ $category })

    L’équipe répond par e-mail à cette adresse. Consultez la demande, son état et chaque réponse, ou complétez-la, ici :
    { $link }

    { $private }
mail-support-private-link = Toute personne qui a ce lien peut lire la demande : gardez cet e-mail pour vous.
mail-support-private-account = Vous devez être connecté pour l’ouvrir.
mail-support-alert-subject = [#{ $id }] Nouvelle demande d’assistance : { $subject }
mail-support-alert-body =
    { $from } demande de l’aide ({ $category }) :

    { $subject }

    Lisez-la et répondez-y dans la file : { $link }
mail-support-again-subject = [#{ $id }] Nouveau message du demandeur
mail-support-again-body =
    Le demandeur de la demande d’assistance n° { $id } ({ $subject }) a de nouveau écrit ; elle est ouverte et vous est attribuée.

    { $link }
mail-support-closed-subject = [#{ $id }] Votre demande est fermée : { $subject }
mail-support-reopened-subject = [#{ $id }] Votre demande est de nouveau ouverte : { $subject }
mail-support-closed-intro = Votre demande d’assistance n° { $id } ({ $subject }) est fermée.
mail-support-reopened-intro = Votre demande d’assistance n° { $id } ({ $subject }) est de nouveau ouverte.
mail-support-closed-next = Si vous avez encore besoin d’aide, répondez sur sa page et elle se rouvrira.
mail-support-reopened-next = L’équipe vous répondra par e-mail.
mail-support-team = L’assistance de { $site }
mail-support-read-here = Toute la conversation est ici :
mail-support-read-or-answer = Lisez toute la conversation ou répondez ici :
mail-support-reply-subject = [#{ $id }] Re : { $subject }
mail-report-subject = Nouveau signalement n° { $id } concernant { $name }
mail-report-body =
    { $reporter } a signalé { $name }.

    Où : { $location }
    Raison : { $reason }
    Remarques : { $notes }

    Traitez-le dans la file : { $link }
mail-payout-subject = Votre versement { $site } : { $amount }
mail-payout-intro =
    Bonjour { $username },

    { $amount } est en route vers votre banque via Stripe (virement { $transfer }).
mail-payout-line = - { $kind } : payé { $gross }, part du site { $cut }, impôt retenu { $withheld }, votre part { $payout }
mail-payout-earnings = Vos revenus : { $link }
mail-bank-failure-subject = Votre versement { $site } de { $amount } n’est pas arrivé à votre banque
mail-bank-failure-no-reason = Stripe n’a donné aucune raison
mail-bank-failure-body =
    Bonjour { $username },

    Stripe n’a pas pu verser { $amount } sur votre compte bancaire : { $reason }.

    L’argent est en sécurité sur votre solde Stripe. Vérifiez vos coordonnées bancaires chez Stripe depuis { $link } et Stripe réessaiera.
