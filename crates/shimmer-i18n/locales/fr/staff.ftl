# Les pages de l’équipe : files, recherches, journal d’audit, signalements et paiements.

staff-queues = Files de l’équipe
staff-report-status = État du signalement
staff-report-status-open = Ouvert
staff-reports-none = Aucun signalement ici.
staff-report-filed = Envoyé par { $reporter } le { $when }
staff-report-mark-open = Marquer comme ouvert
staff-report-status-resolved = Résolu
staff-report-status-dismissed = Rejeté
staff-report-message = message de chat : « { $message } »
staff-report-mark-resolved = Marquer comme résolu
staff-report-mark-dismissed = Marquer comme rejeté
staff-deleted-account = un compte supprimé
