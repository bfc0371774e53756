# Correos en el idioma de quien los recibe. Texto sin formato; las líneas en blanco separan párrafos.

mail-confirm-subject = Confirma tu correo para { $site }
mail-confirm-body =
    Hola, { $username }:

    Confirma tu dirección de correo abriendo este enlace:

    { $link }

    El enlace funciona una vez y caduca en { $hours } horas. Si no te registraste en { $site }, puedes ignorar este correo.

mail-reset-subject = Restablece tu contraseña de { $site }
mail-reset-body =
    Hola, { $username }:

    Alguien (esperamos que tú) pidió restablecer tu contraseña. Abre este enlace para elegir una nueva:

    { $link }

    El enlace funciona una vez y caduca en { $minutes } minutos. Si no lo pediste, ignora este correo; tu contraseña sigue igual.

mail-new-email-subject = Confirma tu nuevo correo para { $site }
mail-new-email-body =
    Hola, { $username }:

    Para que esta sea la dirección de correo de tu cuenta de { $site }, abre este enlace:

    { $link }

    El enlace funciona una vez y caduca en { $hours } horas. Hasta entonces tu cuenta conserva su dirección actual. Si no lo pediste, puedes ignorar este correo.

mail-email-changing-subject = Se está cambiando tu correo de { $site }
mail-email-changing-body =
    Hola, { $username }:

    Alguien con la sesión iniciada en tu cuenta de { $site } pidió cambiar su dirección de correo a { $email }. Solo cambia cuando se abre el enlace enviado a esa dirección.

    Si no fuiste tú, cambia tu contraseña ahora: { $security }

mail-sign-in-subject = Tu enlace para iniciar sesión en { $site }
mail-sign-in-body =
    Hola, { $username }:

    Alguien (esperamos que tú) escribió bien tu contraseña mientras el inicio de sesión en { $site } estaba pausado para tu cuenta tras muchos intentos fallidos. Abre este enlace para iniciar sesión:

    { $link }

    El enlace funciona una vez y caduca en { $minutes } minutos. Si no fuiste tú, cambia tu contraseña: puede que alguien esté intentando adivinarla.

mail-live-subject = { $name } está en directo en { $site }
mail-live-body =
    Hola, { $username }:

    { $streamer } está en directo ahora: { $title }

    Míralo: { $watch }

    Recibes este correo porque sigues a { $streamer } con los avisos de directo activados.
    Deja de recibir estos correos sobre { $streamer } con un clic:
    { $unsubscribe }

# Correos de soporte, del equipo y de pagos.

mail-support-received-subject = [#{ $id }] Recibimos tu solicitud: { $subject }
mail-support-received-body =
    Gracias por escribir al soporte de { $site }. Tu solicitud es la número { $id }:

    { $subject }
    ({ $category })

    El equipo responde por correo a esta dirección. Consulta la solicitud, su estado y cada respuesta, o añade algo, aquí:
    { $link }

    { $private }
mail-support-private-link = Cualquiera con este enlace puede leer la solicitud, así que guarda este correo para ti.
mail-support-private-account = Para abrirla tienes que haber iniciado sesión.
mail-support-alert-subject = [#{ $id }] Nueva solicitud de soporte: { $subject }
mail-support-alert-body =
    { $from } pidió ayuda ({ $category }):

    { $subject }

    Léela y respóndela en la cola: { $link }
mail-support-again-subject = [#{ $id }] Nuevo mensaje del solicitante
mail-support-again-body =
    El solicitante de la solicitud de soporte #{ $id } ({ $subject }) volvió a escribir; está abierta y asignada a ti.

    { $link }
mail-support-closed-subject = [#{ $id }] Tu solicitud está cerrada: { $subject }
mail-support-reopened-subject = [#{ $id }] Tu solicitud está abierta de nuevo: { $subject }
mail-support-closed-intro = Tu solicitud de soporte #{ $id } ({ $subject }) está cerrada.
mail-support-reopened-intro = Tu solicitud de soporte #{ $id } ({ $subject }) está abierta de nuevo.
mail-support-closed-next = Si todavía necesitas ayuda, responde en su página y se volverá a abrir.
mail-support-reopened-next = El equipo te responderá por correo.
mail-support-team = Soporte de { $site }
mail-support-read-here = Lee toda la conversación aquí:
mail-support-read-or-answer = Lee toda la conversación o responde aquí:
mail-support-reply-subject = [#{ $id }] Re: { $subject }
mail-report-subject = Nueva denuncia #{ $id } sobre { $name }
mail-report-body =
    { $reporter } denunció a { $name }.

    Dónde: { $location }
    Motivo: { $reason }
    Notas: { $notes }

    Revísala en la cola: { $link }
mail-payout-subject = Tu pago de { $site }: { $amount }
mail-payout-intro =
    Hola, { $username }:

    { $amount } va de camino a tu banco a través de Stripe (transferencia { $transfer }).
mail-payout-line = - { $kind }: pagado { $gross }, parte del sitio { $cut }, impuesto retenido { $withheld }, tu parte { $payout }
mail-payout-earnings = Tus ganancias: { $link }
mail-bank-failure-subject = Tu pago de { $site } de { $amount } no llegó a tu banco
mail-bank-failure-no-reason = Stripe no indicó ningún motivo
mail-bank-failure-body =
    Hola, { $username }:

    Stripe no pudo ingresar { $amount } en tu cuenta bancaria: { $reason }.

    El dinero está a salvo en tu saldo de Stripe. Revisa tus datos bancarios en Stripe desde { $link } y Stripe lo volverá a intentar.
