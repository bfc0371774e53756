# As páginas da equipe: filas, consultas, o log de auditoria, denúncias e pagamentos.

staff-queues = Filas da equipe
staff-report-status = Situação da denúncia
staff-report-status-open = Aberta
staff-reports-none = Nenhuma denúncia aqui.
staff-report-filed = Enviada por { $reporter } em { $when }
staff-report-mark-open = Marcar como aberta
staff-report-status-resolved = Resolvida
staff-report-status-dismissed = Descartada
staff-report-message = mensagem do chat: “{ $message }”
staff-report-mark-resolved = Marcar como resolvida
staff-report-mark-dismissed = Marcar como descartada
staff-deleted-account = uma conta excluída
