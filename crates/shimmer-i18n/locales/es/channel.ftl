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
