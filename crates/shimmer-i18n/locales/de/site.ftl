# Das Layout aller Seiten, die Startseite, die Suche, das Stöbern und Fehlerseiten.

site-description = Shimmer ist eine Live-Streaming-Seite, die alle selbst betreiben können: Streams live ansehen, mit den Menschen chatten, die sie machen, und selbst streamen.

## Kopf- und Fußzeile

nav-skip = Zum Inhalt springen
nav-main = Hauptmenü
nav-home = Startseite
nav-my-channel = Mein Kanal
nav-settings = Einstellungen
nav-staff = Team
nav-reports = Meldungen
nav-support = Support
nav-emotes = Emotes
nav-paydays = Auszahlungstage
nav-payment-events = Zahlungsereignisse
nav-log-out = Abmelden
nav-log-in = Anmelden
nav-sign-up = Registrieren
theme-label = Farbschema
theme-light = Hell
theme-dark = Dunkel
theme-auto = Automatisch
theme-system = Wie mein Gerät
footer-tagline = Shimmer: Live-Streaming, das du selbst betreiben kannst.
footer-dev-mailbox = Entwicklungs-Postfach
footer-about = Über diese Seite
footer-terms = Nutzungsbedingungen
footer-privacy = Datenschutz
footer-guidelines = Richtlinien
footer-copyright = Urheberrecht
footer-faq = Häufige Fragen
footer-support = Support kontaktieren
footer-preferences = Vorlieben
footer-language = Sprache
footer-language-apply = Sprache wechseln

## Gemeinsame Wörter

badge-live = Live
badge-offline = Offline
badge-mature = Ab 18
badge-following = Gefolgt
button-save = Speichern
button-cancel = Abbrechen
button-delete = Löschen
button-remove = Entfernen
button-upload = Hochladen
field-title = Titel
field-category = Kategorie
field-no-category = Keine Kategorie
field-subcategory = Unterkategorie
field-subcategory-help = (eine auswählen oder eine neue eingeben)
field-tags = Schlagwörter
field-tags-help = (bis zu 10, je 2–18 Zeichen)
field-language = Sprache
field-mature = Inhalte ab 18
field-username = Benutzername
field-email = E-Mail-Adresse
field-password = Passwort
field-optional = (freiwillig)
yes = Ja
no = Nein
none = Keine

## Startseite

title-live-streams = Live-Streams
home-hero-title = Live-Streams von Menschen, die gerade etwas erschaffen
home-hero-text = Sieh Kunst, Musik, Spiele und Gespräche, während sie entstehen, chatte mit den Streamenden und folge Kanälen, um zu erfahren, wann sie live gehen. Shimmer ist kostenlos und alle können es selbst betreiben.
home-start-streaming = Jetzt streamen
home-find-channel = Kanal finden
home-followed-heading = Gefolgte Kanäle, die live sind
home-followed-none = Keiner der Kanäle, denen du folgst, ist gerade live.
home-featured = Empfohlener Live-Kanal
home-no-channels = Noch hat kein Kanal gestreamt.
home-no-channels-set-up = <a href="/users/settings/stream">Richte deinen Stream ein</a> und sei der erste Kanal.
home-no-channels-sign-up = <a href="/users/register">Registriere dich</a> und geh als Erste oder Erster live.
home-live-now = Jetzt live
home-every-stream = Alle Live-Streams, nach Sprache
home-recently-live = Kürzlich live
categories-heading = Kategorien
card-watching = Zuschauende: { $count }
card-watch = { $name } ansehen
category-live =
    { $count ->
        [0] niemand live
       *[other] { $count } live
    }

## Suche und Stöbern

search-heading = Suche
search-browse-heading = Suchen und stöbern
search-title = Suche: { $query }
search-description = Durchsuche die Kanäle, Kategorien und Schlagwörter von Shimmer.
search-label = Kanäle, Kategorien und Schlagwörter durchsuchen
search-placeholder = Kanäle suchen
search-button = Suchen
search-help = Der Name einer streamenden Person, Wörter aus einem Streamtitel, eine Kategorie oder ein Schlagwort, bis zu { $max } Zeichen. Kleine Tippfehler sind kein Problem.
search-channels = Kanäle
search-tags = Schlagwörter
search-none = Nichts passt zu „{ $query }“. Prüfe die Schreibweise, versuche es mit weniger Wörtern oder <a href="/search">stöbere durch alle Kategorien und Kanäle</a>.
search-more = Die ersten { $count } Kanäle werden gezeigt. Füge ein Wort hinzu, um die Suche einzugrenzen.
search-tag-in = in { $category }
streams-category-heading = Streams in { $category }
streams-tagged-heading = { $heading } mit dem Schlagwort { $tag }
streams-none = Hier ist gerade niemand live.
streams-all = Alle
streams-search = Streamende und Titel durchsuchen
streams-any-language = Jede Sprache
streams-find = Finden

## Die vorgegebenen Kategorien

category-art = Kunst
category-music = Musik
category-tech = Technik
category-irl = IRL
category-education = Bildung
category-gaming = Spiele

## Sprachen der Streams

language-en = English (Englisch)
language-ar = العربية (Arabisch)
language-da = Dansk (Dänisch)
language-de = Deutsch
language-es = Español (Spanisch)
language-fi = Suomi (Finnisch)
language-fr = Français (Französisch)
language-hi = हिन्दी (Hindi)
language-it = Italiano (Italienisch)
language-ja = 日本語 (Japanisch)
language-ko = 한국어 (Koreanisch)
language-nl = Nederlands (Niederländisch)
language-no = Norsk (Norwegisch)
language-pl = Polski (Polnisch)
language-pt = Português (Portugiesisch)
language-ru = Русский (Russisch)
language-sv = Svenska (Schwedisch)
language-tr = Türkçe (Türkisch)
language-uk = Українська (Ukrainisch)
language-zh = 中文 (Chinesisch)
language-other = Andere

## Zeiten

time-just-now = gerade eben
time-minutes-ago =
    { $count ->
        [one] vor { $count } Minute
       *[other] vor { $count } Minuten
    }
time-hours-ago =
    { $count ->
        [one] vor { $count } Stunde
       *[other] vor { $count } Stunden
    }
time-days-ago =
    { $count ->
        [one] vor { $count } Tag
       *[other] vor { $count } Tagen
    }
time-months-ago =
    { $count ->
        [one] vor { $count } Monat
       *[other] vor { $count } Monaten
    }
time-years-ago =
    { $count ->
        [one] vor { $count } Jahr
       *[other] vor { $count } Jahren
    }

## Fehler

error-home-link = Zur Startseite
error-not-found = Unter dieser Adresse gibt es nichts. Prüfe den Link oder finde Kanäle auf der Startseite.
error-too-large = Diese Einsendung ist zu groß.
error-internal = Bei uns ist etwas schiefgelaufen. Bitte versuche es gleich noch einmal.
error-database = Die Datenbank ist nicht erreichbar. Bitte versuche es in einer Minute noch einmal.
error-title = Fehler

## Hinweise nach einer Weiterleitung

notice-logged-in = Willkommen zurück! Du bist angemeldet.
notice-logged-out = Du bist abgemeldet.
notice-thanks-subscribed = Danke für dein Abo! Dein Abzeichen erscheint im Chat, sobald die Zahlung bestätigt ist.
notice-thanks-donated = Danke für deine Spende! Sie erscheint im Chat, sobald die Zahlung bestätigt ist.
notice-payday-nothing = Es wartet nichts auf eine Auszahlung: Es wurde kein Auszahlungstag vorbereitet.
notice-payday-paid = Alle Überweisungen sind durchgegangen. Alle Streamenden bekommen eine E-Mail.
notice-payday-failures = Einige Überweisungen sind fehlgeschlagen: Sieh dir die Zeilen unten an und versuche sie dann erneut.
notice-thanks-gifted = Danke! Dein Geschenk erscheint im Chat, sobald die Zahlung bestätigt ist.
notice-gifts-saved = Deine Einstellung für Geschenke ist gespeichert.
notice-button-saved = Die Einstellung für den Abonnieren-Knopf deines Kanals ist gespeichert.
notice-emote-saved = Die Einstellung des Emotes ist gespeichert.
notice-event-replayed = Das Ereignis steht wieder in der Warteschlange und wird gleich verarbeitet.
notice-profile-saved = Dein Profil ist gespeichert.
notice-channel-saved = Deine Kanaleinstellungen sind gespeichert.
notice-stream-saved = Die Stream-Informationen sind gespeichert.
notice-key-rotated = Dein Stream-Schlüssel wurde erneuert. Trage den neuen Schlüssel in deinem Encoder ein.
notice-password-changed = Dein Passwort wurde geändert. Andere Geräte wurden abgemeldet.
notice-confirmation-sent = Wir haben dir einen neuen Bestätigungslink geschickt.
notice-session-revoked = Dieses Gerät wurde abgemeldet.
notice-chat-saved = Deine Chat-Einstellungen sind gespeichert.
notice-prefix-saved = Dein Emote-Präfix ist gespeichert.
notice-emote-uploaded = Dein Emote ist hochgeladen.
notice-emote-deleted = Das Emote wurde gelöscht.
notice-emote-reviewed = Die Prüfung ist gespeichert.
notice-moderator-saved = Die Rechte der moderierenden Person sind gespeichert.
notice-moderator-removed = Die moderierende Person wurde entfernt.
notice-moderated = Erledigt. Die Aktion steht im Moderationsprotokoll.
notice-poster-saved = Dein Standbild ist gespeichert.
notice-poster-removed = Dein Standbild wurde entfernt.
notice-password-reset = Dein Passwort wurde geändert. Melde dich mit dem neuen an.
notice-app-saved = Deine Anwendung ist gespeichert.
notice-logo-saved = Das Logo ist gespeichert.
notice-app-deleted = Die Anwendung und alle für sie ausgestellten Tokens wurden gelöscht.
notice-authorization-revoked = Der Zugriff der App wurde widerrufen.
notice-avatar-saved = Dein Avatar ist hochgeladen.
notice-two-factor-disabled = Die Zwei-Faktor-Anmeldung ist ausgeschaltet.
notice-login-expired = Deine Anmeldung hat zu lange gedauert. Gib dein Passwort noch einmal ein.
notice-username-changed = Dein Benutzername wurde geändert.
notice-account-deleted = Dein Konto wurde gelöscht.
notice-preferences-saved = Deine Vorlieben sind gespeichert.
notice-report-updated = Die Meldung wurde aktualisiert.
notice-support-sent = Deine Nachricht wurde hinzugefügt. Das Team antwortet per E-Mail.
notice-staff-done = Erledigt. Der Schritt steht im Prüfprotokoll.
notice-signed-up = Willkommen bei Shimmer! Du bist angemeldet. Wir haben dir einen Link zur Bestätigung deiner E-Mail-Adresse geschickt; öffne ihn, wann es dir passt.
notice-email-change-sent = Wir haben einen Link an die neue Adresse geschickt. Deine E-Mail-Adresse ändert sich, sobald du ihn öffnest; bis dahin bleibt sie, wie sie ist.
error-theme = Wähle ein Farbschema: hell, dunkel oder wie das System.
error-locale = Wähle eine der angebotenen Sprachen.
status-400 = Ungültige Anfrage
status-401 = Nicht angemeldet
status-403 = Nicht erlaubt
status-404 = Nicht gefunden
status-409 = Konflikt
status-410 = Nicht mehr verfügbar
status-413 = Zu groß
status-415 = Nicht unterstütztes Format
status-422 = Nicht verarbeitbar
status-429 = Zu viele Anfragen
status-500 = Serverfehler
status-503 = Nicht verfügbar

## Seitentitel

title-account = Konto
title-audit-log = Prüfprotokoll
title-authorized-apps = Berechtigte Apps
title-channel-settings = Kanaleinstellungen
title-chat-settings = Chat-Einstellungen
title-choose-a-new-password = Neues Passwort wählen
title-confirm-your-email = E-Mail-Adresse bestätigen
title-contact-support = Support kontaktieren
title-dashboard = Übersicht
title-developer-applications = Eigene Anwendungen
title-email-confirmed = E-Mail-Adresse bestätigt
title-emote-review = Emote-Prüfung
title-emotes = Emotes
title-enter-your-code = Code eingeben
title-growth-and-financial-report = Wachstums- und Finanzbericht
title-log-in = Anmelden
title-log-in-with-your-link = Mit deinem Link anmelden
title-mailbox = Postfach
title-moderators = Moderation
title-paydays = Auszahlungstage
title-payment-events = Zahlungsereignisse
title-payouts = Auszahlungen
title-poster = Standbild
title-profile-settings = Profileinstellungen
title-recovery-codes = Wiederherstellungscodes
title-report = Melden
title-report-sent = Meldung gesendet
title-reports = Meldungen
title-request-received = Anfrage erhalten
title-reset-your-password = Passwort zurücksetzen
title-security-settings = Sicherheitseinstellungen
title-sign-up = Registrieren
title-site-analytics = Seitenstatistik
title-staff = Team
title-stream-key = Stream-Schlüssel
title-subscriptions = Abos
title-support-requests = Support-Anfragen
title-two-factor-sign-in = Zwei-Faktor-Anmeldung
title-unsubscribed = Abgemeldet
title-your-support-requests = Deine Support-Anfragen

## Ablehnungen in Formularen

error-bad-credentials = Benutzername, E-Mail-Adresse oder Passwort ist falsch.
error-unauthenticated = Du musst dich zuerst anmelden.
error-forbidden = Das darfst du nicht.
error-rate-limited = Zu viele Versuche. Versuche es in { $seconds } Sekunden noch einmal.
error-upload-unreadable = Der Upload konnte nicht gelesen werden. Versuche es noch einmal.
title-about-panels = Infotafeln
notice-panels-saved = Deine Infotafeln sind gespeichert.
site-page-english-only = Diese Seite gibt es nur auf Englisch.
notice-app-created = Deine Anwendung ist erstellt. Kopiere jetzt das Client-Geheimnis: Es wird nur einmal gezeigt.
notice-secret-rotated = Ein neues Client-Geheimnis wurde erzeugt, und das alte funktioniert nicht mehr. Kopiere es jetzt: Es wird nur einmal gezeigt.
