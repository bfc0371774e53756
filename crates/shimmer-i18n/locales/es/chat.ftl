# El panel del chat y lo que muestra su script: insignias, moderación, rechazos, líneas del sistema.

chat-jump = Mensajes nuevos abajo
chat-message-label = Mensaje
chat-send = Enviar
chat-login = <a href="/users/login">Inicia sesión</a> o <a href="/users/register">regístrate</a> para chatear.
chat-popout-title = Chat · { $name }

js-chat-title = Chat
js-chat-timestamps = Horas
js-chat-hide-times = Ocultar la hora de los mensajes
js-chat-show-times = Mostrar la hora de los mensajes
js-chat-rules = Normas del chat
js-chat-cancel-reply = Cancelar respuesta
js-chat-mention-list = Personas para mencionar
js-chat-placeholder = Envía un mensaje
js-chat-emotes = Emotes
js-chat-load-failed = No se pudo cargar el chat. Recarga la página para volver a intentarlo.
js-chat-start-failed = No se pudo iniciar el chat. Recarga la página para volver a intentarlo.
js-chat-failed = Algo falló en el chat. Recarga la página si deja de actualizarse.
js-chat-connecting = Conectando al chat…
js-chat-reconnecting = Reconectando…
js-chat-restarting = El servidor del chat se está reiniciando; reconectando…
js-chat-account-banned = Esta cuenta fue suspendida de la plataforma. El chat está cerrado.
js-chat-trouble = El chat tiene problemas.
js-chat-lagged = El chat se quedó atrás; se saltaron algunos mensajes.
js-chat-refused = Eso fue rechazado.
js-chat-type-first = Escribe un mensaje primero.
js-chat-cannot-chat-here = Ahora mismo no puedes chatear aquí.
js-chat-log-in = Inicia sesión para chatear.
js-chat-not-connected-kept = Sin conexión. Tu mensaje se conserva; envíalo de nuevo cuando el chat se reconecte.
js-chat-not-connected = Sin conexión. Vuelve a intentarlo cuando el chat se reconecte.
js-chat-cannot-chat-now = Ahora mismo no puedes chatear
js-chat-again-in = Podrás chatear de nuevo en { $time }.
js-chat-again-in-short = Podrás chatear de nuevo en { $time }
js-chat-banned = Tienes prohibido el acceso a este chat.
js-chat-unbanned = Ya puedes chatear de nuevo.
js-chat-timeout-over = Tu expulsión temporal terminó. Ya puedes chatear de nuevo.
js-chat-timed-out-until = Estás expulsado temporalmente hasta las { $time }.
js-chat-you-were-timed-out = Te han expulsado temporalmente.
js-chat-you-were-timed-out-for = Te han expulsado temporalmente durante { $length } (hasta las { $time }).
js-chat-you-are-timed-out = Estás expulsado temporalmente de este chat.
js-chat-you-are-timed-out-for = Estás expulsado temporalmente de este chat durante { $length } (hasta las { $time }).
js-chat-message-deleted = Un moderador eliminó uno de tus mensajes.
js-chat-someone = alguien
js-chat-replying-to = Respondiendo a @{ $name }
js-chat-replying-to-excerpt = Respondiendo a @{ $name }: { $excerpt }
js-chat-reply-removed = (mensaje eliminado)
js-chat-reply = Responder
js-chat-reply-to = Responder a { $name }
js-chat-close = Cerrar
js-chat-moderate = Moderar a { $name }
js-chat-actions-for = Acciones para { $name }
js-chat-action-short-timeout = Expulsar 5 min
js-chat-action-long-timeout = Expulsar 15 min
js-chat-action-ban = Prohibir acceso
js-chat-action-unban = Levantar prohibición
js-chat-action-delete = Eliminar este mensaje
js-chat-action-report = Denunciar
js-chat-done-short-timeout = { $name } fue expulsado durante 5 minutos.
js-chat-done-long-timeout = { $name } fue expulsado durante 15 minutos.
js-chat-done-ban = Se prohibió el acceso a { $name }.
js-chat-done-unban = Se levantó la prohibición a { $name }.
js-chat-done-delete = Se eliminó un mensaje de { $name }.
js-chat-done-other = { $name } fue moderado.
js-badge-streamer = Streamer
js-badge-streamer-title = Quien transmite
js-badge-moderator = Mod
js-badge-moderator-title = Moderador
js-badge-subscriber = Sub
js-badge-subscriber-title = Suscriptor
js-badge-staff = Equipo
js-badge-staff-title = Equipo de Shimmer
js-badge-founder = Fundador
js-badge-founder-title = Fundador: apoya este sitio
js-badge-supporter = Mecenas
js-badge-supporter-title = Mecenas: apoya este sitio

## Líneas del sistema

js-chat-followed = ¡{ $name } acaba de seguir el canal!
js-chat-subscribed = ¡{ $name } acaba de suscribirse!
js-chat-donated = ¡{ $name } acaba de donar { $amount }!
js-chat-gifted = ¡{ $name } regaló una suscripción a { $recipient }!
js-chat-raid-outgoing-one = ¡{ $from } hace un raid a { $to } con { $count } espectador!
js-chat-raid-outgoing-other = ¡{ $from } hace un raid a { $to } con { $count } espectadores!
js-chat-raid-incoming-one = ¡{ $from } llega de raid con { $count } espectador!
js-chat-raid-incoming-other = ¡{ $from } llega de raid con { $count } espectadores!

## Tarjetas de quien chatea

js-card-loading = Cargando…
js-card-too-many = Demasiadas tarjetas abiertas a la vez. Vuelve a intentarlo en un momento.
js-card-failed = No se pudo cargar esta tarjeta.
js-card-created = Cuenta creada el { $date } ({ $age })
js-card-not-following = No sigue este canal
js-card-following-since = Sigue el canal desde el { $date } ({ $age })
js-card-banned = Con prohibición de acceso a este chat
js-card-timed-out-until = Expulsado hasta las { $time }
js-card-in-good-standing = Sin prohibiciones ni expulsiones aquí
js-card-no-history = Sin historial de moderación aquí
js-card-history = Historial de moderación aquí
js-card-history-step = { $what }, { $date }
js-card-history-step-by = { $what } por { $moderator }, { $date }
js-card-history-short-timeout = Expulsado 5 min
js-card-history-long-timeout = Expulsado 15 min
js-card-history-ban = Acceso prohibido
js-card-history-unban = Prohibición levantada
js-card-history-delete = Mensaje eliminado

## Las normas del canal y los rechazos que recibe quien chatea

chat-rule-age = Las cuentas pueden chatear cuando tienen { $hours } horas de antigüedad.
chat-rule-email = Para chatear hace falta un correo confirmado.
chat-rule-subscribers = Solo los suscriptores pueden chatear.
chat-rule-links = No se permiten enlaces.
chat-rule-slow = Modo lento: un mensaje cada { $seconds } segundos.
chat-refusal-banned = Tienes prohibido el acceso a este chat.
chat-refusal-timed-out = Estás expulsado temporalmente de este chat durante { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    } más.
chat-refusal-email = Este canal exige un correo confirmado para chatear. Confirma el tuyo con el enlace que te enviamos (en Ajustes → Seguridad puedes reenviarlo).
chat-refusal-subscribers = Ahora mismo solo los suscriptores pueden chatear aquí. Suscríbete desde la página del canal para participar.
chat-refusal-account-age = Este canal deja chatear a las cuentas cuando tienen { $hours } horas de antigüedad. Podrás chatear dentro de { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
chat-refusal-links = Este canal no permite enlaces en el chat.
chat-refusal-slow = El modo lento está activado: podrás enviar otro mensaje dentro de { $seconds } segundos.
chat-refusal-duplicate = Acabas de enviar ese mensaje. Di algo nuevo o espera un poco.
