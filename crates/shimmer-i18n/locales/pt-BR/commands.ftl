# Comandos do chat: modo de usar, recusas e respostas no idioma de quem conversa. Os comandos
# e as opções deles (off) são digitados iguais em todos os idiomas.

commands-usage-timeout = Como usar: /timeout <nome> [segundos]
commands-usage-ban = Como usar: /ban <nome>
commands-usage-unban = Como usar: /unban <nome>
commands-usage-slow = Como usar: /slow <segundos|off>
commands-usage-raid = Como usar: /raid <canal>
commands-usage-me = Como usar: /me <ação>
commands-not-seconds-timeout = "{ $value }" não é um número de segundos. Como usar: /timeout <nome> [segundos]
commands-not-seconds-slow = "{ $value }" não é um número de segundos. Como usar: /slow <segundos|off>
commands-empty = Digite um comando depois da /, ou /help.
commands-unknown = O comando /{ $command } não existe. Digite /help para ver a lista.
commands-forbidden = Só o streamer e os moderadores podem usar esse comando.
commands-raid-forbidden = Só o streamer pode fazer raid a partir deste canal.
commands-unknown-user = Não existe nenhum usuário chamado { $name }.
commands-help =
    /me <ação>: conta o que você está fazendo
    /timeout <nome> [segundos]: impede alguém de falar por um tempo (padrão de { $seconds } s; moderadores)
    /ban <nome>, /unban <nome>: bane deste chat ou readmite (moderadores)
    /slow <segundos|off>: uma mensagem por pessoa a cada tantos segundos (moderadores)
    /clear: apaga todas as mensagens exibidas neste chat (moderadores)
    /raid <canal>: manda seus espectadores para outro canal ao vivo (o streamer, durante a live)
    /help: esta lista. Comece uma mensagem com // para enviá-la com uma / só.
commands-timed-out = { $name } foi silenciado por { $unit ->
        [hours] { $count ->
            [one] 1 hora
           *[other] { $count } horas
        }
        [minutes] { $count ->
            [one] 1 minuto
           *[other] { $count } minutos
        }
       *[seconds] { $count ->
            [one] 1 segundo
           *[other] { $count } segundos
        }
    }.
commands-banned = { $name } foi banido deste chat.
commands-unbanned = { $name } pode voltar a falar aqui.
commands-slow-off = O modo lento está desativado.
commands-slow-on = O modo lento está ativado: uma mensagem por pessoa a cada { $unit ->
        [hours] { $count ->
            [one] 1 hora
           *[other] { $count } horas
        }
        [minutes] { $count ->
            [one] 1 minuto
           *[other] { $count } minutos
        }
       *[seconds] { $count ->
            [one] 1 segundo
           *[other] { $count } segundos
        }
    }.
commands-raiding = Raid para { $name } com { $count ->
        [one] 1 espectador
       *[other] { $count } espectadores
    }. Seus espectadores estão a caminho.
commands-cleared = O chat foi limpo ({ $count ->
        [one] 1 mensagem
       *[other] { $count } mensagens
    }).
