# Las páginas del equipo: colas, búsquedas, el registro de auditoría, denuncias y pagos.

staff-queues = Colas del equipo
staff-report-status = Estado de la denuncia
staff-report-status-open = Abierta
staff-reports-none = No hay denuncias aquí.
staff-report-filed = Presentada por { $reporter } el { $when }
staff-report-mark-open = Marcar como abierta
staff-report-status-resolved = Resuelta
staff-report-status-dismissed = Descartada
staff-report-message = mensaje de chat: «{ $message }»
staff-report-mark-resolved = Marcar como resuelta
staff-report-mark-dismissed = Marcar como descartada
staff-deleted-account = una cuenta eliminada
