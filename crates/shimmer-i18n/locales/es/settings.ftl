# Preferencias y páginas de ajustes.

title-preferences = Preferencias
preferences-signed-out = No has iniciado sesión: estas preferencias solo se guardan en este navegador.
preferences-theme = Tema
preferences-timestamps = Mostrar la hora junto a los mensajes del chat
preferences-mature = Mostrar canales para adultos sin preguntar antes
preferences-color = Color del nombre en el chat
preferences-color-account = El de mi cuenta ({ $color })
preferences-color-help = Todos los colores se leen bien con el tema claro y con el oscuro.
preferences-save = Guardar preferencias
color-red = Rojo
color-orange = Naranja
color-amber = Ámbar
color-olive = Oliva
color-green = Verde
color-teal = Verde azulado
color-cyan = Cian
color-blue = Azul
color-indigo = Índigo
color-purple = Morado
color-magenta = Magenta
color-pink = Rosa

## El menú de ajustes

settings-menu = Menú de ajustes
settings-channel = Canal
settings-stream-key = Clave de transmisión
settings-poster = Portada
settings-chat = Chat
settings-moderators = Moderadores
settings-dashboard = Panel
settings-account = Cuenta
settings-security = Seguridad
settings-developer = Desarrollo
settings-developer-apps = Aplicaciones propias
settings-payouts = Pagos
settings-subscriptions = Suscripciones

## Ajustes del canal

settings-channel-address = Tu canal está en <a href="/{ $username }">/{ $username }</a>.
settings-stream-title = Título del directo
settings-subcategory-help = (un juego, estilo o tema: elige uno o escribe uno nuevo)
settings-tags-help = (hasta 10, de 2 a 18 letras, cifras, espacios, - o :)
settings-tags-commas = Separa las etiquetas con comas. Las sugerencias vienen de la categoría elegida.
settings-mature = Contenido para adultos (se avisa a los espectadores antes de reproducir)
settings-hide-viewers = Ocultar el número de espectadores en la página de mi canal
settings-auto-host = Hosting automático
settings-auto-host-example = Nombres de usuario separados por comas, por ejemplo: ana, bob
settings-save-channel = Guardar canal
settings-auto-host-help = (hasta 5 canales, el preferido primero: mientras estás desconectado, tu página reproduce el primero que esté en directo)

## Clave de transmisión

stream-confirm-first = Confirma tu correo antes de transmitir: el servidor rechaza las transmisiones de cuentas sin confirmar. <a href="/users/settings/security">Reenviar el correo de confirmación</a>.
stream-keep-secret = Mantén tu clave en secreto: cualquiera que la tenga puede transmitir en tu canal.
stream-connect = Conecta tu codificador
stream-rtmp = RTMP (OBS, ffmpeg, vMix, codificadores por hardware)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> con tu clave de transmisión como clave.
stream-whip = WHIP (OBS 30 o posterior, navegadores)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> con tu clave de transmisión como token de portador.
stream-ftl = Host <code>{ $host }</code>, puerto { $port }, con tu clave de transmisión.
stream-obs-rtmp = En OBS: Ajustes → Emisión, servicio «Personalizado…», pega el servidor RTMP y la clave. Después, Ajustes → Salida (Avanzado): intervalo de fotogramas clave 2 s, perfil main y, para x264, el ajuste «zerolatency» (fotogramas B a 0): los reproductores WebRTC de los navegadores no pueden reordenar fotogramas B.
stream-obs-whip = WHIP en OBS 30 o posterior: Ajustes → Emisión, servicio «WHIP», Servidor: la URL de WHIP de arriba, Token de portador: tu clave de transmisión. El vídeo es H.264 (x264 con el ajuste «zerolatency», fotogramas clave cada 2 s) y el audio Opus: lo que OBS usa por defecto para WHIP.
stream-your-key = Tu clave de transmisión
stream-copy = Copiar
stream-rotate-text = Renovar crea una clave nueva al instante. La anterior deja de funcionar para conexiones nuevas.
stream-rotate = Renovar la clave
stream-test = Prueba tu configuración:
stream-or-whip = o por WHIP:

## Seguridad

security-email-confirmed = Tu dirección es <strong>{ $email }</strong> (confirmada).
security-resend = Enviar de nuevo el correo de confirmación
security-new-email = Correo nuevo
security-change-email = Cambiar correo
security-change-password = Cambiar contraseña
security-logs-out = Al cambiar tu contraseña o tu correo se cierra la sesión en todos los demás sitios.
security-sessions = Dónde tienes la sesión iniciada
security-this-browser = (este navegador)
security-email-unconfirmed = Tu dirección es <strong>{ $email }</strong> (<span class="warning-text">aún sin confirmar</span>).
security-remembered = recordada
security-last-active = Última actividad: { $when }

## Ajustes del chat

chat-settings-intro = Normas que debe cumplir cada mensaje de tu chat. Tú, tus moderadores y el equipo estáis exentos de las normas de acceso.
chat-settings-age = Antigüedad mínima de la cuenta para chatear (horas, 0–720)
chat-settings-slow = Modo lento: segundos entre los mensajes de una misma persona (0 = desactivado)
chat-settings-email = Exigir un correo confirmado para chatear
chat-settings-block-links = Rechazar mensajes con enlaces
chat-settings-clickable = Hacer clicables los enlaces del chat (si no, se muestran como texto)
chat-settings-recent = Mostrar solo la última hora del chat a quien llega
chat-settings-subscribers = Solo los suscriptores pueden chatear (y los moderadores)
chat-settings-raids = Permitir que otros streamers hagan raids a este canal (enviar aquí a sus espectadores con /raid)
chat-settings-save = Guardar ajustes del chat

## Moderadores

moderators-intro = Los moderadores actúan desde el chat (haciendo clic en un nombre) y desde la <a href="/{ $username }/moderation">página de moderación</a> de tu canal. Elige qué puede hacer cada uno.
moderators-add-heading = Añadir un moderador
moderators-may = Puede
moderators-may-short = expulsar 5 minutos
moderators-may-long = expulsar 15 minutos
moderators-may-ban = prohibir el acceso
moderators-may-unban = levantar prohibiciones
moderators-may-delete = eliminar mensajes
moderators-may-edit = editar el título y las etiquetas del directo (editor)
moderators-add = Añadir moderador
moderators-yours = Tus moderadores
moderators-none = Todavía no hay moderadores.
moderators-short = expulsiones de 5 minutos
moderators-long = expulsiones de 15 minutos
moderators-bans = prohibiciones
moderators-unbans = levantar prohibiciones
moderators-deleting = eliminar mensajes
moderators-editing = editar título y etiquetas

## Portada

poster-intro = Tu portada se muestra en el reproductor de <a href="/{ $username }">/{ $username }</a> mientras estás desconectado y en la tarjeta de tu canal. JPEG o PNG, de al menos 160×90 y como máximo 4096×4096 píxeles, hasta 4 MB; se recorta a 16:9.
poster-current = Tu portada actual
poster-none = Aún no tienes portada; sin conexión, tu canal muestra una imagen sencilla.
poster-image = Imagen
poster-upload = Subir portada
poster-remove = Quitar portada

## Ajustes del perfil

profile-settings-see = Ver tu perfil público
profile-settings-avatar = Avatar
profile-settings-your-avatar = Tu avatar
profile-settings-image = Imagen (PNG, JPEG o GIF, hasta 2 MB)
profile-settings-upload = Subir avatar
profile-settings-about = Sobre ti
profile-settings-display-name = Nombre visible
profile-settings-display-help = Cómo se muestra tu nombre. Solo puede diferir de tu nombre de usuario <strong>{ $username }</strong> en mayúsculas y minúsculas.
profile-settings-pronouns = Pronombres
profile-settings-pronouns-example = ella, él, elle…
profile-settings-bio = Biografía (Markdown)
profile-settings-live-message = Mensaje que se muestra en tu perfil mientras estás en directo
profile-settings-youtube = Vídeo de presentación de YouTube (enlace o id)
profile-settings-links = Enlaces
profile-settings-save = Guardar perfil

## Paneles informativos

settings-panels = Paneles informativos
panels-intro = Los paneles aparecen bajo el reproductor en <a href="/{ $username }">/{ $username }</a>: tu horario, enlaces, normas. Hasta { $max } paneles, cada uno con un título de hasta { $title_max } caracteres y hasta { $body_max } caracteres de Markdown (<strong>**negrita**</strong>, <em>*cursiva*</em>, listas y enlaces como <code>[mi sitio](https://example.com)</code>; el HTML se muestra tal como se escribe).
panels-new = Panel nuevo
panels-text = Texto
panels-place = Posición
panels-remove = Quitar este panel
panels-full = Tienes { $max } paneles, el máximo que puede mostrar un canal. Quita uno para añadir otro.
panels-save = Guardar paneles
panels-number = Panel { $number }

## Aplicaciones autorizadas

authorizations-intro = Aplicaciones a las que permitiste usar tu cuenta. Revocar termina su acceso al instante.
authorizations-none = No has autorizado ninguna aplicación.
authorizations-last = Autorizada por última vez el { $when }.
authorizations-revoke = Revocar
authorizations-can = Puede:
scope-public = Ver tu perfil público y la información de tu canal
scope-email = Ver tu dirección de correo
scope-chat = Enviar mensajes de chat y moderar chats en tu nombre
scope-streamkey = Ver tu clave de transmisión
scope-follow = Seguir y dejar de seguir canales en tu nombre
scope-stream_info = Cambiar el título y la categoría de tu directo
scope-staff = Usar tus herramientas de equipo en tu nombre: consultar cuentas y sus datos privados (cada consulta queda en el registro de auditoría)

## Autorizar una aplicación

oauth-title = Autorizar { $app }
oauth-made-by = Creada por { $owner }
oauth-wants = <strong>{ $app }</strong> quiere usar tu cuenta <strong>{ $account }</strong> para:
oauth-after = Cuando respondas, irás a <strong>{ $host }</strong>. Puedes revocar el acceso cuando quieras en Ajustes → Aplicaciones autorizadas.
oauth-authorize = Autorizar
oauth-deny = Denegar

## Emotes

emotes-intro = Los emotes del canal llevan el prefijo de cinco caracteres de tu canal. El equipo revisa cada uno antes de que se pueda usar. PNG o GIF, cuadrados, de 28 a 512 píxeles; estáticos hasta 256 KB, animados hasta 1 MB.
emotes-prefix-heading = Prefijo
emotes-prefix = Prefijo de emotes (5 letras o cifras)
emotes-save-prefix = Guardar prefijo
emotes-upload-heading = Subir un emote
emotes-name = Nombre después del prefijo
emotes-yours = Tus emotes
emotes-none = Todavía no hay emotes.
emotes-subscribers-only-mark = solo suscriptores
emotes-let-everyone = Dejar que todos lo usen
emotes-subscribers-only = Solo suscriptores
emotes-status-pending = pendiente de revisión
emotes-status-approved = aprobado
emotes-status-rejected = rechazado
emotes-too-large = Ese archivo es demasiado grande: los emotes ocupan como máximo 1 MB.
emotes-choose-review = Elige aprobar o rechazar.

## Aplicaciones propias

apps-intro = Las aplicaciones usan la API en nombre de quienes las autorizan (OAuth2), o por sí mismas con su id de cliente y su secreto.
apps-none = Todavía no tienes aplicaciones.
apps-ingest = Ingesta
apps-new = Nueva aplicación
apps-create = Crear aplicación
apps-ingest-notice = Esta es la credencial de ingesta: sus tokens client_credentials pueden iniciar y terminar directos y leer claves de transmisión. Guarda su secreto solo en los servidores de ingesta.
apps-client-id = Id de cliente
apps-secret-once = Secreto de cliente (solo se muestra esta vez)
apps-created = Creada el { $when }. Punto de acceso de tokens: <code>/api/oauth/token</code>; autorización: <code>/oauth/authorize</code>.
apps-details = Datos
apps-logo = Logotipo
apps-logo-help = PNG, JPEG o GIF, hasta 1024×1024 píxeles y 512 KB
apps-upload-logo = Subir logotipo
apps-secret = Secreto de cliente
apps-rotate-text = Renovar crea un secreto nuevo al instante; el anterior deja de funcionar. Los tokens ya emitidos siguen funcionando.
apps-rotate = Renovar el secreto
apps-delete-link = Eliminar la aplicación…
apps-name = Nombre
apps-description = Descripción (opcional)
apps-homepage = Página web (opcional)
apps-redirects = URI de redirección, una por línea
apps-redirects-help = Se exige HTTPS, salvo para este ordenador: http://127.0.0.1, http://localhost y http://[::1] (cualquier puerto).
apps-delete-heading = ¿Eliminar { $app }?
apps-delete-text = Eliminar la aplicación revoca todos los tokens emitidos para ella, para todas las personas que la autorizaron. No se puede deshacer.
apps-delete-type = Escribe <strong>{ $app }</strong> para confirmar
apps-delete = Eliminar la aplicación
apps-logo-too-large = Ese archivo es demasiado grande: los logotipos ocupan como máximo 512 KB.
apps-delete-title = Eliminar { $app }
apps-delete-confirm-refused = Escribe el nombre exacto de la aplicación para confirmar la eliminación.

## Channel settings: chat background
settings-chat-background = Fondo del chat
settings-chat-background-help = Una imagen JPEG o PNG de 4 MB como máximo y al menos 160×90 píxeles, que se muestra detrás de tu chat en la página de tu canal y en el chat emergente (nunca en la superposición transparente). Un velo encima mantiene legibles los mensajes.
settings-chat-background-current = Tu fondo de chat actual
settings-chat-background-none = Tu chat no tiene imagen de fondo.
settings-chat-background-image = Imagen
settings-chat-background-upload = Subir fondo del chat
settings-chat-background-remove = Quitar fondo del chat
chat-background-too-large = Ese archivo es demasiado grande: los fondos de chat tienen como máximo 4 MB.
chat-background-unreadable = No se pudo leer el archivo subido. Inténtalo de nuevo.
notice-chat-background-saved = Tu fondo de chat se ha guardado.
notice-chat-background-removed = Tu fondo de chat se ha quitado.
