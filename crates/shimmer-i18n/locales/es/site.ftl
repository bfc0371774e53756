# La plantilla de todas las páginas, la portada, la búsqueda, la exploración y las páginas de error.

site-description = Shimmer es un sitio de streaming en directo que cualquiera puede alojar: mira directos, chatea con quienes los hacen y empieza a transmitir tú también.

## Cabecera y pie de página

nav-skip = Saltar al contenido
nav-main = Principal
nav-home = Inicio
nav-my-channel = Mi canal
nav-settings = Ajustes
nav-staff = Equipo
nav-reports = Denuncias
nav-support = Soporte
nav-emotes = Emotes
nav-paydays = Días de pago
nav-payment-events = Eventos de pago
nav-log-out = Cerrar sesión
nav-log-in = Iniciar sesión
nav-sign-up = Registrarse
theme-label = Tema de color
theme-light = Claro
theme-dark = Oscuro
theme-auto = Automático
theme-system = Como mi dispositivo
footer-tagline = Shimmer: streaming en directo que puedes alojar tú mismo.
footer-dev-mailbox = Buzón de desarrollo
footer-about = Sobre este sitio
footer-terms = Condiciones
footer-privacy = Privacidad
footer-guidelines = Normas
footer-copyright = Derechos de autor
footer-faq = Preguntas frecuentes
footer-support = Contactar con soporte
footer-preferences = Preferencias
footer-language = Idioma
footer-language-apply = Cambiar idioma

## Palabras comunes

badge-live = En directo
badge-offline = Desconectado
badge-mature = Para adultos
badge-following = Siguiendo
button-save = Guardar
button-cancel = Cancelar
button-delete = Eliminar
button-remove = Quitar
button-upload = Subir
field-title = Título
field-category = Categoría
field-no-category = Sin categoría
field-subcategory = Subcategoría
field-subcategory-help = (elige una o escribe una nueva)
field-tags = Etiquetas
field-tags-help = (hasta 10, de 2 a 18 caracteres cada una)
field-language = Idioma
field-mature = Contenido para adultos
field-username = Nombre de usuario
field-email = Correo electrónico
field-password = Contraseña
field-optional = (opcional)
yes = Sí
no = No
none = Ninguno

## Portada

title-live-streams = Directos
home-hero-title = Directos de gente creando cosas, ahora mismo
home-hero-text = Mira arte, música, juegos y conversaciones mientras suceden, chatea con quien transmite y sigue canales para enterarte cuando empiezan un directo. Shimmer es gratis y cualquiera puede alojarlo.
home-start-streaming = Empezar a transmitir
home-find-channel = Buscar un canal
home-followed-heading = Canales que sigues en directo
home-followed-none = Ninguno de los canales que sigues está en directo.
home-featured = Canal destacado en directo
home-no-channels = Todavía ningún canal ha transmitido.
home-no-channels-set-up = <a href="/users/settings/stream">Configura tu transmisión</a> para ser el primero.
home-no-channels-sign-up = <a href="/users/register">Regístrate</a> y sé el primero en emitir en directo.
home-live-now = En directo ahora
home-every-stream = Todos los directos, por idioma
home-recently-live = En directo hace poco
categories-heading = Categorías
card-watching = Espectadores: { $count }
card-watch = Ver a { $name }
category-live =
    { $count ->
        [0] nadie en directo
       *[other] { $count } en directo
    }

## Búsqueda y exploración

search-heading = Buscar
search-browse-heading = Buscar y explorar
search-title = Búsqueda: { $query }
search-description = Busca canales, categorías y etiquetas de Shimmer.
search-label = Buscar canales, categorías y etiquetas
search-placeholder = Buscar canales
search-button = Buscar
search-help = El nombre de quien transmite, palabras del título de un directo, una categoría o una etiqueta, hasta { $max } caracteres. Los pequeños errores de escritura no importan.
search-channels = Canales
search-tags = Etiquetas
search-none = Nada coincide con «{ $query }». Revisa la ortografía, prueba con menos palabras o <a href="/search">explora todas las categorías y canales</a>.
search-more = Se muestran los primeros { $count } canales. Añade una palabra para afinar la búsqueda.
search-tag-in = en { $category }
streams-category-heading = Directos de { $category }
streams-tagged-heading = { $heading } con la etiqueta { $tag }
streams-none = Ahora mismo no hay nadie en directo aquí.
streams-all = Todos
streams-search = Buscar personas y títulos
streams-any-language = Cualquier idioma
streams-find = Buscar

## Las categorías predefinidas

category-art = Arte
category-music = Música
category-tech = Tecnología
category-irl = IRL
category-education = Educación
category-gaming = Videojuegos

## Idiomas de los directos

language-en = English (inglés)
language-ar = العربية (árabe)
language-da = Dansk (danés)
language-de = Deutsch (alemán)
language-es = Español
language-fi = Suomi (finés)
language-fr = Français (francés)
language-hi = हिन्दी (hindi)
language-it = Italiano (italiano)
language-ja = 日本語 (japonés)
language-ko = 한국어 (coreano)
language-nl = Nederlands (neerlandés)
language-no = Norsk (noruego)
language-pl = Polski (polaco)
language-pt = Português (portugués)
language-ru = Русский (ruso)
language-sv = Svenska (sueco)
language-tr = Türkçe (turco)
language-uk = Українська (ucraniano)
language-zh = 中文 (chino)
language-other = Otro

## Tiempos

time-just-now = justo ahora
time-minutes-ago =
    { $count ->
        [one] hace { $count } minuto
       *[other] hace { $count } minutos
    }
time-hours-ago =
    { $count ->
        [one] hace { $count } hora
       *[other] hace { $count } horas
    }
time-days-ago =
    { $count ->
        [one] hace { $count } día
       *[other] hace { $count } días
    }
time-months-ago =
    { $count ->
        [one] hace { $count } mes
       *[other] hace { $count } meses
    }
time-years-ago =
    { $count ->
        [one] hace { $count } año
       *[other] hace { $count } años
    }

## Errores

error-home-link = Ir a la portada
error-not-found = No hay nada en esta dirección. Revisa el enlace o busca canales en la portada.
error-too-large = Lo que enviaste es demasiado grande.
error-internal = Algo salió mal por nuestra parte. Vuelve a intentarlo en un momento.
error-database = La base de datos no está disponible. Vuelve a intentarlo en un minuto.
error-title = Error

## Avisos tras una redirección

notice-logged-in = ¡Hola de nuevo! Has iniciado sesión.
notice-logged-out = Has cerrado la sesión.
notice-thanks-subscribed = ¡Gracias por suscribirte! Tu insignia aparecerá en el chat en cuanto se confirme el pago.
notice-thanks-donated = ¡Gracias por tu donación! Aparecerá en el chat en cuanto se confirme el pago.
notice-payday-nothing = No hay nada pendiente de pago: no se preparó ningún día de pago.
notice-payday-paid = Todas las transferencias se completaron. Cada streamer recibe un correo.
notice-payday-failures = Algunas transferencias fallaron: revisa las líneas de abajo y vuelve a intentarlas.
notice-thanks-gifted = ¡Gracias! Tu regalo aparecerá en el chat en cuanto se confirme el pago.
notice-gifts-saved = Tu ajuste de regalos se ha guardado.
notice-button-saved = El ajuste del botón Suscribirse de tu canal se ha guardado.
notice-emote-saved = El ajuste del emote se ha guardado.
notice-event-replayed = El evento vuelve a estar en cola y se procesará en un momento.
notice-profile-saved = Tu perfil se ha guardado.
notice-channel-saved = Los ajustes de tu canal se han guardado.
notice-stream-saved = La información del directo se ha guardado.
notice-key-rotated = Tu clave de transmisión se ha renovado. Pon la nueva clave en tu codificador.
notice-password-changed = Tu contraseña se ha cambiado. Se cerró la sesión en los demás dispositivos.
notice-confirmation-sent = Te hemos enviado un nuevo enlace de confirmación.
notice-session-revoked = Se cerró la sesión en ese dispositivo.
notice-chat-saved = Los ajustes de tu chat se han guardado.
notice-prefix-saved = Tu prefijo de emotes se ha guardado.
notice-emote-uploaded = Tu emote se ha subido.
notice-emote-deleted = El emote se ha eliminado.
notice-emote-reviewed = La revisión se ha guardado.
notice-moderator-saved = Los permisos del moderador se han guardado.
notice-moderator-removed = El moderador se ha quitado.
notice-moderated = Hecho. La acción figura en el registro de moderación.
notice-poster-saved = Tu imagen de portada se ha guardado.
notice-poster-removed = Tu imagen de portada se ha quitado.
notice-password-reset = Tu contraseña se ha cambiado. Inicia sesión con la nueva.
notice-app-saved = Tu aplicación se ha guardado.
notice-logo-saved = El logotipo se ha guardado.
notice-app-deleted = Se eliminaron la aplicación y todos los tokens emitidos para ella.
notice-authorization-revoked = Se revocó el acceso de la aplicación.
notice-avatar-saved = Tu avatar se ha subido.
notice-two-factor-disabled = El inicio de sesión en dos pasos está desactivado.
notice-login-expired = Tu inicio de sesión tardó demasiado. Vuelve a escribir tu contraseña.
notice-username-changed = Tu nombre de usuario se ha cambiado.
notice-account-deleted = Tu cuenta se ha eliminado.
notice-preferences-saved = Tus preferencias se han guardado.
notice-report-updated = La denuncia se ha actualizado.
notice-support-sent = Tu mensaje se ha añadido. El equipo responde por correo.
notice-staff-done = Hecho. El paso figura en el registro de auditoría.
notice-signed-up = ¡Te damos la bienvenida a Shimmer! Has iniciado sesión. Te enviamos un enlace para confirmar tu correo; ábrelo cuando puedas.
notice-email-change-sent = Enviamos un enlace a la nueva dirección. Tu correo cambiará cuando lo abras; hasta entonces sigue igual.
error-theme = Elige un tema: claro, oscuro o el del sistema.
error-locale = Elige uno de los idiomas ofrecidos.
status-400 = Solicitud incorrecta
status-401 = No autenticado
status-403 = Prohibido
status-404 = No encontrado
status-409 = Conflicto
status-410 = Ya no disponible
status-413 = Demasiado grande
status-415 = Formato no admitido
status-422 = No procesable
status-429 = Demasiadas solicitudes
status-500 = Error del servidor
status-503 = Servicio no disponible

## Títulos de página

title-account = Cuenta
title-audit-log = Registro de auditoría
title-authorized-apps = Aplicaciones autorizadas
title-channel-settings = Ajustes del canal
title-chat-settings = Ajustes del chat
title-choose-a-new-password = Elige una contraseña nueva
title-confirm-your-email = Confirma tu correo
title-contact-support = Contactar con soporte
title-dashboard = Panel
title-developer-applications = Aplicaciones propias
title-email-confirmed = Correo confirmado
title-emote-review = Revisión de emotes
title-emotes = Emotes
title-enter-your-code = Escribe tu código
title-growth-and-financial-report = Informe de crecimiento y finanzas
title-log-in = Iniciar sesión
title-log-in-with-your-link = Inicia sesión con tu enlace
title-mailbox = Buzón
title-moderators = Moderadores
title-paydays = Días de pago
title-payment-events = Eventos de pago
title-payouts = Pagos
title-poster = Portada
title-profile-settings = Ajustes del perfil
title-recovery-codes = Códigos de recuperación
title-report = Denunciar
title-report-sent = Denuncia enviada
title-reports = Denuncias
title-request-received = Solicitud recibida
title-reset-your-password = Restablecer la contraseña
title-security-settings = Ajustes de seguridad
title-sign-up = Registrarse
title-site-analytics = Estadísticas del sitio
title-staff = Equipo
title-stream-key = Clave de transmisión
title-subscriptions = Suscripciones
title-support-requests = Solicitudes de soporte
title-two-factor-sign-in = Verificación en dos pasos
title-unsubscribed = Baja confirmada
title-your-support-requests = Tus solicitudes de soporte

## Rechazos en los formularios

error-bad-credentials = El nombre de usuario, el correo o la contraseña no son correctos.
error-unauthenticated = Primero tienes que iniciar sesión.
error-forbidden = No tienes permiso para hacer eso.
error-rate-limited = Demasiados intentos. Vuelve a intentarlo dentro de { $seconds } segundos.
error-upload-unreadable = No se pudo leer el archivo subido. Vuelve a intentarlo.
title-about-panels = Paneles informativos
notice-panels-saved = Tus paneles informativos se han guardado.
site-page-english-only = Esta página solo está disponible en inglés.
notice-app-created = Tu aplicación se ha creado. Copia ahora el secreto de cliente: solo se muestra una vez.
notice-secret-rotated = Se creó un secreto de cliente nuevo y el anterior ya no funciona. Cópialo ahora: solo se muestra una vez.
