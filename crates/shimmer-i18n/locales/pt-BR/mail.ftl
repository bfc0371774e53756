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

# E-mails de suporte, da equipe e de repasses.

mail-support-received-subject = [#{ $id }] Recebemos seu pedido: { $subject }
mail-support-received-body =
    Obrigado por escrever para o suporte do { $site }. Seu pedido é o número { $id }:

    { $subject }
    ({ $category })

    A equipe responde por e-mail neste endereço. Veja o pedido, a situação dele e cada resposta, ou acrescente algo, aqui:
    { $link }

    { $private }
mail-support-private-link = Qualquer pessoa com este link pode ler o pedido, então guarde este e-mail só para você.
mail-support-private-account = Você precisa estar conectado para abrir.
mail-support-alert-subject = [#{ $id }] Novo pedido de suporte: { $subject }
mail-support-alert-body =
    { $from } pediu ajuda ({ $category }):

    { $subject }

    Leia e responda na fila: { $link }
mail-support-again-subject = [#{ $id }] Nova mensagem do solicitante
mail-support-again-body =
    O solicitante do pedido de suporte #{ $id } ({ $subject }) escreveu de novo; o pedido está aberto e atribuído a você.

    { $link }
mail-support-closed-subject = [#{ $id }] Seu pedido foi fechado: { $subject }
mail-support-reopened-subject = [#{ $id }] Seu pedido foi reaberto: { $subject }
mail-support-closed-intro = Seu pedido de suporte #{ $id } ({ $subject }) foi fechado.
mail-support-reopened-intro = Seu pedido de suporte #{ $id } ({ $subject }) foi reaberto.
mail-support-closed-next = Se ainda precisar de ajuda, responda na página do pedido e ele será reaberto.
mail-support-reopened-next = A equipe vai responder por e-mail.
mail-support-team = Suporte do { $site }
mail-support-read-here = Leia a conversa inteira aqui:
mail-support-read-or-answer = Leia a conversa inteira ou responda aqui:
mail-support-reply-subject = [#{ $id }] Re: { $subject }
mail-report-subject = Nova denúncia #{ $id } sobre { $name }
mail-report-body =
    { $reporter } denunciou { $name }.

    Onde: { $location }
    Motivo: { $reason }
    Observações: { $notes }

    Analise na fila: { $link }
mail-payout-subject = Seu repasse do { $site }: { $amount }
mail-payout-intro =
    Olá, { $username },

    { $amount } está a caminho do seu banco pela Stripe (transferência { $transfer }).
mail-payout-line = - { $kind }: pago { $gross }, parte do site { $cut }, imposto retido { $withheld }, sua parte { $payout }
mail-payout-earnings = Seus ganhos: { $link }
mail-bank-failure-subject = Seu repasse do { $site } de { $amount } não chegou ao seu banco
mail-bank-failure-no-reason = A Stripe não informou o motivo
mail-bank-failure-body =
    Olá, { $username },

    A Stripe não conseguiu depositar { $amount } na sua conta bancária: { $reason }.

    O dinheiro está seguro no seu saldo da Stripe. Confira seus dados bancários na Stripe em { $link } e a Stripe vai tentar de novo.
