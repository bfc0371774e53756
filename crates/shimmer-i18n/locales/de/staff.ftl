# Die Seiten des Teams: Warteschlangen, Nachschlagen, das Prüfprotokoll, Meldungen und Zahlungen.

staff-queues = Warteschlangen des Teams
staff-report-status = Status der Meldung
staff-report-status-open = Offen
staff-reports-none = Hier gibt es keine Meldungen.
staff-report-filed = Gemeldet von { $reporter } am { $when }
staff-report-mark-open = Als offen markieren
staff-report-status-resolved = Erledigt
staff-report-status-dismissed = Verworfen
staff-report-message = Chatnachricht: „{ $message }“
staff-report-mark-resolved = Als erledigt markieren
staff-report-mark-dismissed = Als verworfen markieren
staff-deleted-account = ein gelöschtes Konto
