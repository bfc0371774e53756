# Solicitudes de soporte: el formulario, las páginas de quien pregunta y la cola del equipo.

support-intro = Pide ayuda al equipo con cualquier cosa de { $site }. Cada solicitud recibe un número y respondemos por correo.
support-log-in-first = ¿Tienes una cuenta? <a href="/users/login">Inicia sesión</a> primero para tener tus solicitudes juntas.
support-report-hint = Para denunciar una cuenta, usa «Denunciar» en su canal o perfil.
support-email = Tu dirección de correo
support-about = ¿De qué se trata?
support-choose-topic = Elige un tema
support-category-account = Mi cuenta o el inicio de sesión
support-subject = Asunto
support-message = Tu mensaje
support-send = Enviar solicitud
support-received = Solicitud n.º { $id } recibida
support-sent-signed-in = Gracias. Enviamos una confirmación a { $email } y puedes seguir la solicitud en el sitio.
support-see = Ver tu solicitud
support-new = Nueva solicitud
support-none = Todavía no has pedido soporte.
support-updated = actualizada { $when }
support-all = Todas tus solicitudes
support-status-line = Estado: <strong data-testid="ticket-status">{ $status }</strong>
support-add = Añadir a tu solicitud
support-closed-hint = Esta solicitud está cerrada; enviar un mensaje la vuelve a abrir.
support-note = nota para el equipo
support-pages = Páginas de solicitudes
pager-previous = Anterior
pager-page = Página { $number }
pager-next = Siguiente
support-intro-signed-in = Pide ayuda al equipo con cualquier cosa de { $site }. Cada solicitud recibe un número y respondemos por correo a la dirección de tu cuenta.
support-category-payments = Pagos, suscripciones o cobros
support-category-streaming = Transmitir y emitir en directo
support-category-technical = Algo del sitio no funciona
support-category-safety = Seguridad, acoso o abuso
support-category-other = Otra cosa
support-status-open = Abierta: esperando al equipo
support-status-answered = Respondida
support-status-closed = Cerrada
support-status-unknown = Desconocido
support-sent-link = Gracias. Enviamos una confirmación a { $email } con un enlace privado para seguir la solicitud y leer nuestras respuestas.
support-filed = enviada { $when }
support-request-title = Solicitud de soporte n.º { $id }
