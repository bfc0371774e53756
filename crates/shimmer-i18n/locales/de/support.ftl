# Support-Anfragen: das Formular, die Seiten der Anfragenden und die Warteschlange des Teams.

support-intro = Bitte das Team um Hilfe bei allem auf { $site }. Jede Anfrage bekommt eine Nummer, und wir antworten per E-Mail.
support-log-in-first = Du hast ein Konto? <a href="/users/login">Melde dich</a> zuerst an, damit deine Anfragen beisammen bleiben.
support-report-hint = Um ein Konto zu melden, nutze „Melden“ auf seinem Kanal oder Profil.
support-email = Deine E-Mail-Adresse
support-about = Worum geht es?
support-choose-topic = Thema wählen
support-category-account = Mein Konto oder die Anmeldung
support-subject = Betreff
support-message = Deine Nachricht
support-send = Anfrage senden
support-received = Anfrage #{ $id } erhalten
support-sent-signed-in = Danke. Wir haben eine Bestätigung an { $email } geschickt, und du kannst die Anfrage auf der Seite verfolgen.
support-see = Deine Anfrage ansehen
support-new = Neue Anfrage
support-none = Du hast noch keinen Support angefragt.
support-updated = aktualisiert { $when }
support-all = Alle deine Anfragen
support-status-line = Status: <strong data-testid="ticket-status">{ $status }</strong>
support-add = Etwas zu deiner Anfrage hinzufügen
support-closed-hint = Diese Anfrage ist geschlossen; eine neue Nachricht öffnet sie wieder.
support-note = Notiz für das Team
support-pages = Seiten der Anfragen
pager-previous = Zurück
pager-page = Seite { $number }
pager-next = Weiter
support-intro-signed-in = Bitte das Team um Hilfe bei allem auf { $site }. Jede Anfrage bekommt eine Nummer, und wir antworten per E-Mail an die Adresse deines Kontos.
support-category-payments = Zahlungen, Abos oder Auszahlungen
support-category-streaming = Streamen und live gehen
support-category-technical = Etwas auf der Seite funktioniert nicht
support-category-safety = Sicherheit, Belästigung oder Missbrauch
support-category-other = Etwas anderes
support-status-open = Offen: wartet auf das Team
support-status-answered = Beantwortet
support-status-closed = Geschlossen
support-status-unknown = Unbekannt
support-sent-link = Danke. Wir haben eine Bestätigung an { $email } geschickt, mit einem privaten Link, über den du die Anfrage verfolgen und unsere Antworten lesen kannst.
support-filed = eingereicht { $when }
support-request-title = Support-Anfrage #{ $id }
