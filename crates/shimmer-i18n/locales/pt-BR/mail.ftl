# E-mails no idioma de quem recebe. Texto simples; linhas em branco separam os parágrafos.

mail-confirm-subject = Confirme seu e-mail no { $site }
mail-confirm-body =
    Olá, { $username },

    Confirme seu endereço de e-mail abrindo este link:

    { $link }

    O link funciona uma vez e expira em { $hours } horas. Se você não se cadastrou no { $site }, pode ignorar este e-mail.

mail-reset-subject = Redefina sua senha do { $site }
mail-reset-body =
    Olá, { $username },

    Alguém (esperamos que você) pediu para redefinir sua senha. Abra este link para escolher uma nova:

    { $link }

    O link funciona uma vez e expira em { $minutes } minutos. Se você não pediu isso, ignore este e-mail; sua senha continua a mesma.

mail-new-email-subject = Confirme seu novo e-mail no { $site }
mail-new-email-body =
    Olá, { $username },

    Para tornar este o endereço de e-mail da sua conta do { $site }, abra este link:

    { $link }

    O link funciona uma vez e expira em { $hours } horas. Até lá sua conta mantém o endereço atual. Se você não pediu isso, pode ignorar este e-mail.

mail-email-changing-subject = O e-mail da sua conta do { $site } está sendo alterado
mail-email-changing-body =
    Olá, { $username },

    Alguém conectado à sua conta do { $site } pediu para mudar o e-mail dela para { $email }. Ele só muda quando o link enviado para lá for aberto.

    Se não foi você, mude sua senha agora: { $security }

mail-sign-in-subject = Seu link para entrar no { $site }
mail-sign-in-body =
    Olá, { $username },

    Alguém (esperamos que você) digitou sua senha corretamente enquanto o login no { $site } estava pausado para a sua conta depois de muitas tentativas com erro. Abra este link para entrar:

    { $link }

    O link funciona uma vez e expira em { $minutes } minutos. Se não foi você, mude sua senha: pode ser alguém tentando adivinhá-la.

mail-live-subject = { $name } está ao vivo no { $site }
mail-live-body =
    Olá, { $username },

    { $streamer } está ao vivo agora: { $title }

    Assista: { $watch }

    Você recebe este e-mail porque segue { $streamer } com os avisos de live ativados.
    Pare de receber estes e-mails sobre { $streamer } com um clique:
    { $unsubscribe }
