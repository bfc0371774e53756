# Comandos del chat: modo de uso, rechazos y respuestas en el idioma de quien chatea. Los
# comandos y sus opciones (off) se escriben igual en todos los idiomas.

commands-usage-timeout = Uso: /timeout <usuario> [segundos]
commands-usage-ban = Uso: /ban <usuario>
commands-usage-unban = Uso: /unban <usuario>
commands-usage-slow = Uso: /slow <segundos|off>
commands-usage-raid = Uso: /raid <canal>
commands-usage-me = Uso: /me <acción>
commands-not-seconds-timeout = «{ $value }» no es un número de segundos. Uso: /timeout <usuario> [segundos]
commands-not-seconds-slow = «{ $value }» no es un número de segundos. Uso: /slow <segundos|off>
commands-empty = Escribe un comando después de /, o /help.
commands-unknown = No existe el comando /{ $command }. Escribe /help para ver la lista.
commands-forbidden = Solo el streamer y los moderadores pueden usar ese comando.
commands-raid-forbidden = Solo el streamer puede hacer un raid desde este canal.
commands-unknown-user = No hay ningún usuario llamado { $name }.
commands-help =
    /me <acción>: cuenta lo que estás haciendo
    /timeout <usuario> [segundos]: impide que alguien escriba durante un tiempo (por defecto { $seconds } s; moderadores)
    /ban <usuario>, /unban <usuario>: expulsa de este chat o vuelve a admitir (moderadores)
    /slow <segundos|off>: un mensaje por persona cada tantos segundos (moderadores)
    /clear: borra todos los mensajes que se ven en este chat (moderadores)
    /raid <canal>: envía a tus espectadores a otro canal en directo (el streamer, mientras está en directo)
    /help: esta lista. Empieza un mensaje con // para enviarlo con una sola /.
commands-timed-out = { $name } quedó silenciado durante { $unit ->
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
commands-banned = { $name } fue expulsado de este chat.
commands-unbanned = { $name } puede volver a chatear aquí.
commands-slow-off = El modo lento está desactivado.
commands-slow-on = El modo lento está activado: un mensaje por persona cada { $unit ->
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
commands-raiding = Raid a { $name } con { $count ->
        [one] 1 espectador
       *[other] { $count } espectadores
    }. Tus espectadores van en camino.
commands-cleared = Se vació el chat ({ $count ->
        [one] 1 mensaje
       *[other] { $count } mensajes
    }).
