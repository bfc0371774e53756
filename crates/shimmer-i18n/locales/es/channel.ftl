# La página del canal, su reproductor y el aviso de contenido para adultos.

channel-share-live = { $name } está en directo en Shimmer: { $title }
channel-share-offline = { $name } transmite en Shimmer: { $title }
channel-hosting = <strong>{ $name }</strong> está desconectado y muestra a <a href="/{ $href }">{ $host }</a>: { $title }
channel-offline-now = <strong>{ $name }</strong> está desconectado ahora mismo.
channel-offline-autoplay = Esta página empezará a reproducir sola cuando comience el directo.
channel-watching = Espectadores: <span data-viewer-count data-testid="viewer-count">{ $count }</span>
channel-edit = Editar canal
channel-followers-link = Seguidores: <span data-follower-count>{ $count }</span>
channel-notify = Avísame por correo cuando { $name } esté en directo
channel-login-to-follow = Inicia sesión para seguir
channel-login-to-support = Inicia sesión para suscribirte o donar
channel-subscribed = Suscrito
channel-subscribe = Suscribirse ({ $price } al mes)
channel-donate = Donar
channel-donation-amount = Importe (de { $min } a { $max })
channel-donation-message = Mensaje para el chat
channel-donation-message-help = (opcional, hasta 200 caracteres)
channel-continue-payment = Continuar al pago
channel-gift = Regalar una suscripción
channel-gift-recipient = Nombre de usuario de la persona a la que regalas un mes ({ $price })
channel-edit-stream = Editar la información del directo
channel-pop-out = Abrir el chat aparte
channel-moderation = Moderación
channel-profile = Perfil
channel-report = Denunciar
mature-title = { $name } (para adultos)

## Scripts: botón de seguir, raids y hosting, reproductor

js-follow = Seguir
js-unfollow = Dejar de seguir
js-raid-go-now = Ir con { $name } ahora
js-raid-go = Ir con { $name }
js-raid-stay = Quedarme aquí
js-raid-countdown = ¡{ $from } está haciendo un raid a { $to }! Te llevamos allí en { $seconds } s.
js-raid-stayed = { $from } hizo un raid a { $to }. Te quedaste aquí.
js-player-offline = { $name } está desconectado ahora mismo.
js-player-offline-unnamed = Este canal está desconectado ahora mismo.
js-player-autoplay = La reproducción empieza sola cuando comienza el directo.
js-player-tap-unmute = Toca para activar el sonido
js-player-mute = Silenciar
js-player-unmute = Activar sonido
js-player-volume = Volumen
js-player-stats = Estadísticas
js-player-full-screen = Pantalla completa
js-player-live = EN DIRECTO
js-player-reconnecting = Reconectando…
js-player-connecting = Conectando…
js-player-no-webrtc = Este navegador no puede reproducir transmisiones WebRTC.
js-player-server-answered = El servidor respondió { $status }.
js-player-restarting = El servidor se está reiniciando…
js-player-stream-stopped = La transmisión dejó de llegar.
js-player-could-not-start = No se pudo iniciar la reproducción.
js-player-connection-lost = Se perdió la conexión.
js-tags-chosen = Etiquetas elegidas
js-tags-add = Añadir una etiqueta
js-tags-remove = Quitar la etiqueta { $tag }
js-tags-invalid = «{ $tag }» no es una etiqueta válida: usa de 2 a 18 letras, cifras, espacios, guiones o dos puntos.
js-tags-too-many = Un canal puede tener como máximo { $max } etiquetas.
js-hide = Ocultar
js-show = Mostrar
js-copied = Copiado al portapapeles.
js-copy-by-hand = Pulsa Ctrl+C (o ⌘C) para copiar la clave seleccionada.
channel-about = Sobre { $name }
js-player-compat-title = Modo de compatibilidad: reproducir por HLS (unos segundos más de retraso)
js-player-hls-link-title = Copiar el enlace HLS para VLC y otros reproductores
js-player-hls-link-label = Copiar el enlace HLS
js-player-hls-link = Enlace HLS
js-player-pip = Imagen en imagen
js-player-paused = En pausa
js-player-no-player = Este navegador no puede reproducir transmisiones WebRTC ni HLS.
js-player-hls-not-loaded = No se pudo cargar el reproductor HLS.
js-player-copied = Copiado
js-player-hls-prompt = Enlace HLS para reproductores externos:
js-hls-failed = No se pudo reproducir la transmisión HLS.
js-hls-ended = La transmisión terminó.
js-hls-stopped = La transmisión HLS se detuvo.
js-key-space = Espacio
js-shortcut-play = Pausar o reproducir
js-shortcut-mute = Silenciar o activar el sonido
js-theatre = Modo cine
js-shortcut-help = Mostrar estos atajos
js-shortcut-close = Cerrar esta lista
js-shortcuts = Atajos de teclado

## La página de moderación

moderation-title = Moderación · { $name }
moderation-act = Actuar sobre alguien del chat
moderation-action = Acción
moderation-short = Expulsar 5 minutos
moderation-long = Expulsar 15 minutos
moderation-apply = Aplicar
moderation-bans = Con prohibición o expulsión
moderation-no-bans = Nadie tiene prohibido el acceso ni está expulsado.
moderation-log = Registro de moderación
moderation-log-empty = Nada todavía.
moderation-when = Cuándo
moderation-chatter = Participante
moderation-banned = acceso prohibido
moderation-timed-out-for = expulsado durante { $minutes } minutos más
moderation-deleted-user = usuario eliminado
moderation-action-short-timeout = expulsión corta
moderation-action-long-timeout = expulsión larga
moderation-action-ban = prohibición
moderation-action-unban = prohibición levantada
moderation-action-delete-message = mensaje eliminado
moderation-action-slow-mode = modo lento
moderation-action-clear-chat = chat vaciado
moderation-action-edit-title-and-tags = título y etiquetas editados

## Channel header: uptime and the Share menu
js-channel-live-for = En directo desde hace { $time }
channel-share = Compartir
channel-share-options = Compartir este canal
channel-share-copy = Copiar enlace
js-channel-share-copied = Copiado
js-channel-share-copy-failed = No se pudo copiar. El enlace es { $url }
channel-share-x = Compartir en X (Twitter)
channel-share-reddit = Compartir en Reddit
