# O painel do chat e o que o script dele mostra: selos, moderação, recusas, linhas do sistema.

chat-jump = Novas mensagens abaixo
chat-message-label = Mensagem
chat-send = Enviar
chat-login = <a href="/users/login">Entre</a> ou <a href="/users/register">crie uma conta</a> para conversar.
chat-popout-title = Chat · { $name }

js-chat-title = Chat
js-chat-timestamps = Horários
js-chat-hide-times = Ocultar o horário das mensagens
js-chat-show-times = Mostrar o horário das mensagens
js-chat-rules = Regras do chat
js-chat-cancel-reply = Cancelar resposta
js-chat-mention-list = Pessoas para mencionar
js-chat-placeholder = Envie uma mensagem
js-chat-emotes = Emotes
js-chat-load-failed = Não foi possível carregar o chat. Recarregue a página para tentar de novo.
js-chat-start-failed = Não foi possível iniciar o chat. Recarregue a página para tentar de novo.
js-chat-failed = Algo deu errado no chat. Recarregue a página se ele parar de atualizar.
js-chat-connecting = Conectando ao chat…
js-chat-reconnecting = Reconectando…
js-chat-restarting = O servidor do chat está reiniciando; reconectando…
js-chat-account-banned = Esta conta foi banida da plataforma. O chat está fechado.
js-chat-trouble = O chat está com problemas.
js-chat-lagged = O chat ficou para trás; algumas mensagens foram puladas.
js-chat-refused = Isso foi recusado.
js-chat-type-first = Digite uma mensagem primeiro.
js-chat-cannot-chat-here = Você não pode conversar aqui agora.
js-chat-log-in = Entre para conversar.
js-chat-not-connected-kept = Sem conexão. Sua mensagem foi mantida; envie de novo quando o chat reconectar.
js-chat-not-connected = Sem conexão. Tente de novo quando o chat reconectar.
js-chat-cannot-chat-now = Você não pode conversar agora
js-chat-again-in = Você poderá conversar de novo em { $time }.
js-chat-again-in-short = Poderá conversar de novo em { $time }
js-chat-banned = Você foi banido deste chat.
js-chat-unbanned = Você pode conversar de novo.
js-chat-timeout-over = Sua suspensão terminou. Você pode conversar de novo.
js-chat-timed-out-until = Você está suspenso até { $time }.
js-chat-you-were-timed-out = Você foi suspenso.
js-chat-you-were-timed-out-for = Você foi suspenso por { $length } (até { $time }).
js-chat-you-are-timed-out = Você está suspenso deste chat.
js-chat-you-are-timed-out-for = Você está suspenso deste chat por { $length } (até { $time }).
js-chat-message-deleted = Um moderador excluiu uma das suas mensagens.
js-chat-someone = alguém
js-chat-replying-to = Respondendo a @{ $name }
js-chat-replying-to-excerpt = Respondendo a @{ $name }: { $excerpt }
js-chat-reply-removed = (mensagem removida)
js-chat-reply = Responder
js-chat-reply-to = Responder a { $name }
js-chat-close = Fechar
js-chat-moderate = Moderar { $name }
js-chat-actions-for = Ações para { $name }
js-chat-action-short-timeout = Suspender 5 min
js-chat-action-long-timeout = Suspender 15 min
js-chat-action-ban = Banir
js-chat-action-unban = Desbanir
js-chat-action-delete = Excluir esta mensagem
js-chat-action-report = Denunciar
js-chat-done-short-timeout = { $name } foi suspenso por 5 minutos.
js-chat-done-long-timeout = { $name } foi suspenso por 15 minutos.
js-chat-done-ban = { $name } foi banido.
js-chat-done-unban = { $name } foi desbanido.
js-chat-done-delete = Uma mensagem de { $name } foi excluída.
js-chat-done-other = { $name } foi moderado.
js-badge-streamer = Streamer
js-badge-streamer-title = Quem transmite
js-badge-moderator = Mod
js-badge-moderator-title = Moderador
js-badge-subscriber = Sub
js-badge-subscriber-title = Assinante
js-badge-staff = Equipe
js-badge-staff-title = Equipe do Shimmer
js-badge-founder = Fundador
js-badge-founder-title = Fundador: apoia este site
js-badge-supporter = Apoiador
js-badge-supporter-title = Apoiador: apoia este site

## Linhas do sistema

js-chat-followed = { $name } acabou de seguir o canal!
js-chat-subscribed = { $name } acabou de assinar!
js-chat-donated = { $name } acabou de doar { $amount }!
js-chat-gifted = { $name } deu uma assinatura de presente para { $recipient }!
js-chat-raid-outgoing-one = { $from } está fazendo uma raid em { $to } com { $count } espectador!
js-chat-raid-outgoing-other = { $from } está fazendo uma raid em { $to } com { $count } espectadores!
js-chat-raid-incoming-one = { $from } chegou em raid com { $count } espectador!
js-chat-raid-incoming-other = { $from } chegou em raid com { $count } espectadores!

## Cartões de quem conversa

js-card-loading = Carregando…
js-card-too-many = Cartões demais abertos de uma vez. Tente de novo daqui a pouco.
js-card-failed = Não foi possível carregar este cartão.
js-card-created = Conta criada em { $date } ({ $age })
js-card-not-following = Não segue este canal
js-card-following-since = Segue desde { $date } ({ $age })
js-card-banned = Banido deste chat
js-card-timed-out-until = Suspenso até { $time }
js-card-in-good-standing = Nem banido nem suspenso aqui
js-card-no-history = Nenhum histórico de moderação aqui
js-card-history = Histórico de moderação aqui
js-card-history-step = { $what }, { $date }
js-card-history-step-by = { $what } por { $moderator }, { $date }
js-card-history-short-timeout = Suspenso 5 min
js-card-history-long-timeout = Suspenso 15 min
js-card-history-ban = Banido
js-card-history-unban = Desbanido
js-card-history-delete = Mensagem excluída

## As regras do canal e as recusas que quem conversa recebe

chat-rule-age = Contas podem conversar quando tiverem { $hours } horas de existência.
chat-rule-email = É preciso um e-mail confirmado para conversar.
chat-rule-subscribers = Só assinantes podem conversar.
chat-rule-links = Links não são permitidos.
chat-rule-slow = Modo lento: uma mensagem a cada { $seconds } segundos.
chat-refusal-banned = Você foi banido deste chat.
chat-refusal-timed-out = Você está suspenso deste chat por mais { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
chat-refusal-email = Este canal exige um e-mail confirmado para conversar. Confirme o seu pelo link que enviamos (em Configurações → Segurança você pode reenviá-lo).
chat-refusal-subscribers = Só assinantes podem conversar aqui agora. Assine na página do canal para participar.
chat-refusal-account-age = Este canal deixa contas conversarem quando tiverem { $hours } horas de existência. Você poderá conversar em { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
chat-refusal-links = Este canal não permite links no chat.
chat-refusal-slow = O modo lento está ativado: você pode enviar outra mensagem em { $seconds } segundos.
chat-refusal-duplicate = Você acabou de enviar essa mensagem. Diga algo novo ou espere um pouco.
