# Registrieren, Anmelden, Passwörter, Zwei-Faktor-Anmeldung, die Kontoseite, Profile und Meldungen.

## Anmelden und registrieren

auth-login-field = Benutzername oder E-Mail-Adresse
auth-remember = 30 Tage angemeldet bleiben
auth-forgot = Passwort vergessen?
auth-create-account = Konto erstellen
auth-register-heading = Erstelle dein Konto
auth-username-help = 3–24 Buchstaben, Ziffern, _ oder . – das ist auch die Adresse deines Kanals.
auth-password-help = Mindestens 8 Zeichen.
auth-trap = Webseite (bitte leer lassen)
auth-have-account = Du hast schon ein Konto? <a href="/users/login">Melde dich an</a>.

## Passwörter

auth-reset-heading = Passwort zurücksetzen
auth-reset-sent = Falls ein Konto diese Adresse verwendet, haben wir ihm einen Link geschickt, mit dem du ein neues Passwort wählen kannst. Der Link funktioniert einmal und läuft nach einer Stunde ab.
auth-reset-email = Die E-Mail-Adresse deines Kontos
auth-reset-send = Schick mir einen Link
auth-new-password-heading = Neues Passwort wählen
auth-new-link = Einen neuen Link anfordern
auth-new-password = Neues Passwort
auth-save-password = Neues Passwort speichern
auth-link-heading = Mit deinem Link anmelden
auth-go-to-login = Zur Anmeldung
auth-link-text = Die Anmeldung bei diesem Konto wurde nach vielen Fehlversuchen pausiert, und dein richtiges Passwort hat dir diesen Link geschickt. Drück den Knopf, um dich anzumelden.
auth-confirm-heading = E-Mail-Adresse bestätigen
auth-confirm-text = Drück den Knopf, um diese Adresse für dein Shimmer-Konto zu bestätigen.
auth-confirm-button = Meine E-Mail-Adresse bestätigen

## Zwei-Faktor-Anmeldung

auth-code-heading = Code eingeben
auth-code-text = Dein Konto verwendet die Zwei-Faktor-Anmeldung. Gib den sechsstelligen Code aus deiner Authenticator-App oder einen deiner Wiederherstellungscodes ein.
auth-code = Code
auth-start-again = Von vorn beginnen
two-factor-title = Zwei-Faktor-Anmeldung
two-factor-required = Team-Konten müssen die Zwei-Faktor-Anmeldung verwenden. Richte sie ein, um fortzufahren.
two-factor-on = Die Zwei-Faktor-Anmeldung ist <strong>an</strong>. Unbenutzte Wiederherstellungscodes: { $count }.
two-factor-off-heading = Ausschalten
auth-current-password = Aktuelles Passwort
auth-code-or-recovery = Code aus deiner App (oder ein Wiederherstellungscode)
two-factor-turn-off = Zwei-Faktor-Anmeldung ausschalten
two-factor-scan = Scanne diesen Code mit einer Authenticator-App (etwa Aegis, Google Authenticator oder 1Password) und gib dann den sechsstelligen Code ein, den sie anzeigt.
two-factor-qr-alt = QR-Code für deine Authenticator-App
two-factor-manual = Scannen klappt nicht? Gib diesen Schlüssel von Hand ein:
two-factor-six-digits = Sechsstelliger Code
two-factor-turn-on = Zwei-Faktor-Anmeldung einschalten
two-factor-is-on = Die Zwei-Faktor-Anmeldung ist an
two-factor-keep-codes = Bewahre diese Wiederherstellungscodes sicher auf. Jeder funktioniert einmal anstelle eines Codes aus deiner App, falls du dein Telefon verlierst. Sie werden nur jetzt angezeigt.
two-factor-done = Fertig

## Die Kontoseite

account-rename-heading = Benutzernamen ändern
account-rename-text = Dein Benutzername ist <strong>{ $username }</strong>. Du kannst ihn alle 30 Tage einmal ändern; dein alter Name bleibt eine Weile reserviert, damit ihn niemand sofort übernehmen kann.
account-new-username = Neuer Benutzername
account-rename-button = Benutzernamen ändern
account-email-hint = Deine E-Mail-Adresse änderst du unter <a href="/users/settings/security">Sicherheit</a>.
account-export-heading = Deine Daten herunterladen
account-export-text = Eine ZIP-Datei mit deinem Profil, deinen Vorlieben, deinem Kanal und deinen Chatnachrichten als JSON.
account-export-button = Meine Daten herunterladen
account-delete-heading = Konto löschen
account-delete-text = Damit werden dein Konto und dein Kanal sofort gelöscht; das lässt sich nicht rückgängig machen. Deine Chatnachrichten bleiben in den Chats anderer Kanäle, angezeigt als von einem gelöschten Konto.
account-delete-confirm = Mir ist klar, dass sich das nicht rückgängig machen lässt.
account-delete-button = Mein Konto löschen

## Kanäle ab 18

mature-heading = { $name } streamt Inhalte ab 18
mature-text = Dieser Kanal ist als „ab 18“ markiert: Er kann Inhalte zeigen, die nicht für alle geeignet sind.
mature-continue = Weiter zum Kanal
mature-back = Zurück zur Startseite
mature-preferences = Du kannst diese Warnung in deinen <a href="/preferences">Vorlieben</a> ausschalten.

## Profile

profile-live-now = Jetzt live: ansehen
profile-followers = { $count ->
        [one] { $count } Follower
       *[other] { $count } Follower
    }
profile-following = Folgt { $count }
profile-intro-video = Vorstellungsvideo
profile-report = { $name } melden
profile-go-to-channel = Zum Kanal

## Meldungen

report-intro = Meldungen gehen an das Team, das jede einzelne prüft. Nur das Team sieht, wer gemeldet hat.
report-where = Wo ist das passiert?
report-location-stream = Im Streamvideo
report-what = Was ist das Problem?
report-reason-hate = Hassrede oder Belästigung
report-notes = Was das Team wissen sollte (freiwillig)
report-send = Meldung absenden
report-location-chat = Im Stream-Chat
report-location-profile = Im Profiltext oder Avatar
report-location-username = Im Benutzernamen
report-location-elsewhere = Woanders
report-reason-inappropriate = Unangemessene oder nicht markierte Inhalte ab 18
report-reason-copyright = Urheberrechtsverletzung oder Gesetzesverstoß
report-reason-spam = Spam oder Betrug
report-reason-other = Etwas anderes
report-bad-message = Die Chatnachricht in dieser Meldung ist ungültig.
report-thanks = Danke
report-sent = Deine Meldung zu { $username } wurde an das Team geschickt.
auth-confirmed = Danke, { $username }! Deine Adresse { $email } ist bestätigt. Du kannst jetzt streamen.
auth-find-stream-key = Zu deinem Stream-Schlüssel
account-delete-tick = Setze das Häkchen, um das Löschen zu bestätigen.
two-factor-staff-keep = Team-Konten müssen die Zwei-Faktor-Anmeldung eingeschaltet lassen.
profile-avatar-too-large = Diese Datei ist zu groß: Avatare dürfen höchstens 2 MB groß sein.
