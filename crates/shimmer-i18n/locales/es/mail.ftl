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
