# Registro, inicio de sesión, contraseñas, verificación en dos pasos, la cuenta, perfiles y denuncias.

## Inicio de sesión y registro

auth-login-field = Nombre de usuario o correo
auth-remember = Recordarme durante 30 días
auth-forgot = ¿Olvidaste tu contraseña?
auth-create-account = Crear una cuenta
auth-register-heading = Crea tu cuenta
auth-username-help = De 3 a 24 letras, cifras, _ o . — también es la dirección de tu canal.
auth-password-help = Al menos 8 caracteres.
auth-trap = Sitio web (déjalo vacío)
auth-have-account = ¿Ya tienes una cuenta? <a href="/users/login">Inicia sesión</a>.

## Contraseñas

auth-reset-heading = Restablecer la contraseña
auth-reset-sent = Si alguna cuenta usa esa dirección, le hemos enviado un enlace para elegir una contraseña nueva. El enlace funciona una vez y caduca en una hora.
auth-reset-email = El correo de tu cuenta
auth-reset-send = Envíame un enlace
auth-new-password-heading = Elige una contraseña nueva
auth-new-link = Pedir un enlace nuevo
auth-new-password = Contraseña nueva
auth-save-password = Guardar la contraseña nueva
auth-link-heading = Inicia sesión con tu enlace
auth-go-to-login = Ir al inicio de sesión
auth-link-text = El inicio de sesión en esta cuenta se pausó tras muchos intentos fallidos, y tu contraseña correcta te envió este enlace. Pulsa el botón para iniciar sesión.
auth-confirm-heading = Confirma tu correo
auth-confirm-text = Pulsa el botón para confirmar esta dirección para tu cuenta de Shimmer.
auth-confirm-button = Confirmar mi correo

## Verificación en dos pasos

auth-code-heading = Escribe tu código
auth-code-text = Tu cuenta usa la verificación en dos pasos. Escribe el código de seis cifras de tu app de autenticación o uno de tus códigos de recuperación.
auth-code = Código
auth-start-again = Empezar de nuevo
two-factor-title = Verificación en dos pasos
two-factor-required = Las cuentas del equipo deben usar la verificación en dos pasos. Configúrala para continuar.
two-factor-on = La verificación en dos pasos está <strong>activada</strong>. Códigos de recuperación sin usar: { $count }.
two-factor-off-heading = Desactivarla
auth-current-password = Contraseña actual
auth-code-or-recovery = Código de tu app (o un código de recuperación)
two-factor-turn-off = Desactivar la verificación en dos pasos
two-factor-scan = Escanea este código con una app de autenticación (como Aegis, Google Authenticator o 1Password) y escribe el código de seis cifras que muestre.
two-factor-qr-alt = Código QR para tu app de autenticación
two-factor-manual = ¿No puedes escanearlo? Escribe esta clave a mano:
two-factor-six-digits = Código de seis cifras
two-factor-turn-on = Activar la verificación en dos pasos
two-factor-is-on = La verificación en dos pasos está activada
two-factor-keep-codes = Guarda estos códigos de recuperación en un lugar seguro. Cada uno funciona una vez en lugar de un código de tu app, por si pierdes el teléfono. Solo se muestran ahora.
two-factor-done = Listo

## La página de la cuenta

account-rename-heading = Cambiar tu nombre de usuario
account-rename-text = Tu nombre de usuario es <strong>{ $username }</strong>. Puedes cambiarlo una vez cada 30 días; tu nombre anterior queda reservado un tiempo para que nadie pueda quedárselo enseguida.
account-new-username = Nombre de usuario nuevo
account-rename-button = Cambiar nombre de usuario
account-email-hint = Para cambiar tu correo, ve a <a href="/users/settings/security">Seguridad</a>.
account-export-heading = Descargar tus datos
account-export-text = Un archivo zip con tu perfil, tus preferencias, tu canal y tus mensajes de chat en JSON.
account-export-button = Descargar mis datos
account-delete-heading = Eliminar tu cuenta
account-delete-text = Esto elimina tu cuenta y tu canal de inmediato y no se puede deshacer. Tus mensajes de chat se quedan en los chats de otros canales, como de un usuario eliminado.
account-delete-confirm = Entiendo que esto no se puede deshacer.
account-delete-button = Eliminar mi cuenta

## Canales para adultos

mature-heading = { $name } transmite contenido para adultos
mature-text = Este canal está marcado para adultos: puede mostrar contenido que no es apto para todo el mundo.
mature-continue = Continuar al canal
mature-back = Volver a la portada
mature-preferences = Puedes desactivar este aviso en tus <a href="/preferences">preferencias</a>.

## Perfiles

profile-live-now = En directo ahora: ver
profile-followers = { $count ->
        [one] { $count } seguidor
       *[other] { $count } seguidores
    }
profile-following = Sigue a { $count }
profile-intro-video = Vídeo de presentación
profile-report = Denunciar a { $name }
profile-go-to-channel = Ir al canal

## Denuncias

report-intro = Las denuncias llegan al equipo, que revisa cada una. Solo el equipo ve quién la presentó.
report-where = ¿Dónde ocurrió?
report-location-stream = En el vídeo del directo
report-what = ¿Qué ocurre?
report-reason-hate = Discurso de odio o acoso
report-notes = Algo que el equipo deba saber (opcional)
report-send = Enviar denuncia
report-location-chat = En el chat del directo
report-location-profile = En el texto del perfil o el avatar
report-location-username = En el nombre de usuario
report-location-elsewhere = En otro lugar
report-reason-inappropriate = Contenido inapropiado o para adultos sin marcar
report-reason-copyright = Infracción de derechos de autor o de la ley
report-reason-spam = Spam o estafas
report-reason-other = Otra cosa
report-bad-message = El mensaje de chat de esta denuncia no es válido.
report-thanks = Gracias
report-sent = Tu denuncia sobre { $username } se envió al equipo.
auth-confirmed = ¡Gracias, { $username }! Tu dirección { $email } está confirmada. Ya puedes transmitir.
auth-find-stream-key = Ver tu clave de transmisión
account-delete-tick = Marca la casilla para confirmar la eliminación.
two-factor-staff-keep = Las cuentas del equipo deben mantener activada la verificación en dos pasos.
profile-avatar-too-large = Ese archivo es demasiado grande: los avatares pueden ocupar como máximo 2 MB.
