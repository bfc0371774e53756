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
