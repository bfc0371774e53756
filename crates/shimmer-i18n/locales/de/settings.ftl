# Vorlieben und die Einstellungsseiten.

title-preferences = Vorlieben
preferences-signed-out = Du bist nicht angemeldet: Diese Einstellungen gelten nur in diesem Browser.
preferences-theme = Farbschema
preferences-timestamps = Uhrzeiten neben Chatnachrichten zeigen
preferences-mature = Kanäle ab 18 ohne Nachfrage zeigen
preferences-color = Namensfarbe im Chat
preferences-color-account = Aus meinem Konto ({ $color })
preferences-color-help = Jede Farbe ist im hellen und im dunklen Schema gut lesbar.
preferences-save = Vorlieben speichern
color-red = Rot
color-orange = Orange
color-amber = Bernstein
color-olive = Oliv
color-green = Grün
color-teal = Blaugrün
color-cyan = Cyan
color-blue = Blau
color-indigo = Indigo
color-purple = Lila
color-magenta = Magenta
color-pink = Pink

## Das Einstellungsmenü

settings-menu = Einstellungsmenü
settings-channel = Kanal
settings-stream-key = Stream-Schlüssel
settings-poster = Standbild
settings-chat = Chat
settings-moderators = Moderation
settings-dashboard = Übersicht
settings-account = Konto
settings-security = Sicherheit
settings-developer = Entwicklung
settings-developer-apps = Eigene Anwendungen
settings-payouts = Auszahlungen
settings-subscriptions = Abos

## Kanaleinstellungen

settings-channel-address = Dein Kanal ist unter <a href="/{ $username }">/{ $username }</a> zu finden.
settings-stream-title = Streamtitel
settings-subcategory-help = (ein Spiel, ein Stil oder ein Thema: eins auswählen oder ein neues eingeben)
settings-tags-help = (bis zu 10, je 2–18 Buchstaben, Ziffern, Leerzeichen, - oder :)
settings-tags-commas = Trenne Schlagwörter mit Kommas. Vorschläge kommen aus der gewählten Kategorie.
settings-mature = Inhalte ab 18 (Zuschauende werden vor dem Abspielen gewarnt)
settings-hide-viewers = Zuschauerzahl auf meiner Kanalseite verbergen
settings-auto-host = Automatisches Hosting
settings-auto-host-example = Benutzernamen durch Kommas getrennt, zum Beispiel: ana, bob
settings-save-channel = Kanal speichern
settings-auto-host-help = (bis zu 5 Kanäle, die liebste Wahl zuerst: Während du offline bist, spielt deine Seite den ersten davon, der live ist)

## Stream-Schlüssel

stream-confirm-first = Bestätige deine E-Mail-Adresse, bevor du streamst: Der Server lehnt Streams von unbestätigten Konten ab. <a href="/users/settings/security">Bestätigungs-E-Mail erneut senden</a>.
stream-keep-secret = Halte deinen Schlüssel geheim: Alle, die ihn kennen, können auf deinen Kanal streamen.
stream-connect = Deinen Encoder verbinden
stream-rtmp = RTMP (OBS, ffmpeg, vMix, Hardware-Encoder)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> mit deinem Stream-Schlüssel als Schlüssel.
stream-whip = WHIP (OBS ab Version 30, Browser)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> mit deinem Stream-Schlüssel als Bearer-Token.
stream-ftl = Host <code>{ $host }</code>, Port { $port }, mit deinem Stream-Schlüssel.
stream-obs-rtmp = In OBS: Einstellungen → Stream, Dienst „Benutzerdefiniert…“, RTMP-Server und Schlüssel einfügen. Dann Einstellungen → Ausgabe (Erweitert): Keyframe-Intervall 2 s, Profil main und für x264 das Tuning „zerolatency“ (B-Frames 0): Die WebRTC-Player der Browser können B-Frames nicht umsortieren.
stream-obs-whip = WHIP in OBS ab Version 30: Einstellungen → Stream, Dienst „WHIP“, Server: die WHIP-URL oben, Bearer-Token: dein Stream-Schlüssel. Video ist H.264 (x264 mit dem Tuning „zerolatency“, Keyframe-Intervall 2 s), Audio Opus: die Voreinstellungen von OBS für WHIP.
stream-your-key = Dein Stream-Schlüssel
stream-copy = Kopieren
stream-rotate-text = Erneuern erzeugt sofort einen neuen Schlüssel. Der alte funktioniert für neue Verbindungen nicht mehr.
stream-rotate = Schlüssel erneuern
stream-test = Teste deine Einrichtung:
stream-or-whip = oder über WHIP:

## Sicherheit

security-email-confirmed = Deine Adresse ist <strong>{ $email }</strong> (bestätigt).
security-resend = Bestätigungs-E-Mail erneut senden
security-new-email = Neue E-Mail-Adresse
security-change-email = E-Mail-Adresse ändern
security-change-password = Passwort ändern
security-logs-out = Wenn du dein Passwort oder deine E-Mail-Adresse änderst, wirst du überall sonst abgemeldet.
security-sessions = Wo du angemeldet bist
security-this-browser = (dieser Browser)
security-email-unconfirmed = Deine Adresse ist <strong>{ $email }</strong> (<span class="warning-text">noch nicht bestätigt</span>).
security-remembered = gemerkt
security-last-active = Zuletzt aktiv: { $when }

## Chat-Einstellungen

chat-settings-intro = Regeln, die jede Nachricht in deinem Chat erfüllen muss. Du, deine Moderation und das Team sind von den Zugangsregeln ausgenommen.
chat-settings-age = Mindestalter des Kontos zum Chatten (Stunden, 0–720)
chat-settings-slow = Langsamer Modus: Sekunden zwischen zwei Nachrichten derselben Person (0 = aus)
chat-settings-email = Zum Chatten eine bestätigte E-Mail-Adresse verlangen
chat-settings-block-links = Nachrichten mit Links ablehnen
chat-settings-clickable = Links im Chat anklickbar machen (sonst als einfacher Text angezeigt)
chat-settings-recent = Neu Hinzukommenden nur die letzte Stunde des Chats zeigen
chat-settings-subscribers = Nur Abonnierende dürfen chatten (und die Moderation)
chat-settings-raids = Anderen Streamenden erlauben, diesen Kanal zu raiden (ihre Zuschauenden mit /raid hierher zu schicken)
chat-settings-save = Chat-Einstellungen speichern

## Moderation

moderators-intro = Moderierende handeln im Chat (auf einen Namen klicken) und auf der <a href="/{ $username }/moderation">Moderationsseite</a> deines Kanals. Lege fest, was jede Person darf.
moderators-add-heading = Moderierende hinzufügen
moderators-may = Darf
moderators-may-short = 5 Minuten Auszeit geben
moderators-may-long = 15 Minuten Auszeit geben
moderators-may-ban = verbannen
moderators-may-unban = Verbannungen aufheben
moderators-may-delete = Nachrichten löschen
moderators-may-edit = Titel und Schlagwörter des Streams bearbeiten (Redaktion)
moderators-add = Hinzufügen
moderators-yours = Deine Moderation
moderators-none = Noch niemand moderiert.
moderators-short = Auszeiten von 5 Minuten
moderators-long = Auszeiten von 15 Minuten
moderators-bans = Verbannungen
moderators-unbans = Aufhebungen
moderators-deleting = Löschen von Nachrichten
moderators-editing = Bearbeiten von Titel und Schlagwörtern

## Standbild

poster-intro = Dein Standbild erscheint im Player unter <a href="/{ $username }">/{ $username }</a>, während du offline bist, und auf der Karte deines Kanals. JPEG oder PNG, mindestens 160×90 und höchstens 4096×4096 Pixel, bis zu 4 MB; es wird auf 16:9 zugeschnitten.
poster-current = Dein aktuelles Standbild
poster-none = Du hast noch kein Standbild; offline zeigt dein Kanal ein schlichtes Bild.
poster-image = Bild
poster-upload = Standbild hochladen
poster-remove = Standbild entfernen

## Profileinstellungen

profile-settings-see = Dein öffentliches Profil ansehen
profile-settings-avatar = Profilbild
profile-settings-your-avatar = Dein Profilbild
profile-settings-image = Bild (PNG, JPEG oder GIF, bis zu 2 MB)
profile-settings-upload = Profilbild hochladen
profile-settings-about = Über dich
profile-settings-display-name = Anzeigename
profile-settings-display-help = So wird dein Name angezeigt. Er darf sich von deinem Benutzernamen <strong>{ $username }</strong> nur in Groß- und Kleinschreibung unterscheiden.
profile-settings-pronouns = Pronomen
profile-settings-pronouns-example = sie/ihr, er/ihm, …
profile-settings-bio = Über mich (Markdown)
profile-settings-live-message = Nachricht auf deinem Profil, während du live bist
profile-settings-youtube = YouTube-Vorstellungsvideo (Link oder ID)
profile-settings-links = Links
profile-settings-save = Profil speichern

## Infotafeln

settings-panels = Infotafeln
panels-intro = Infotafeln erscheinen unter dem Player auf <a href="/{ $username }">/{ $username }</a>: dein Zeitplan, Links, Regeln. Bis zu { $max } Tafeln, jede mit einem Titel von bis zu { $title_max } Zeichen und bis zu { $body_max } Zeichen Markdown (<strong>**fett**</strong>, <em>*kursiv*</em>, Listen und Links wie <code>[meine Seite](https://example.com)</code>; HTML erscheint so, wie es getippt wurde).
panels-new = Neue Tafel
panels-text = Text
panels-place = Platz
panels-remove = Diese Tafel entfernen
panels-full = Du hast { $max } Tafeln, die meisten, die ein Kanal zeigen kann. Entferne eine, um eine weitere hinzuzufügen.
panels-save = Tafeln speichern
panels-number = Tafel { $number }

## Berechtigte Apps

authorizations-intro = Anwendungen, denen du erlaubt hast, dein Konto zu nutzen. Ein Widerruf beendet ihren Zugriff sofort.
authorizations-none = Du hast noch keine Anwendung berechtigt.
authorizations-last = Zuletzt berechtigt: { $when }.
authorizations-revoke = Widerrufen
authorizations-can = Darf:
scope-public = Dein öffentliches Profil und die Informationen deines Kanals sehen
scope-email = Deine E-Mail-Adresse sehen
scope-chat = In deinem Namen Chatnachrichten senden und Chats moderieren
scope-streamkey = Deinen Stream-Schlüssel sehen
scope-follow = In deinem Namen Kanälen folgen und entfolgen
scope-stream_info = Titel und Kategorie deines Streams ändern
scope-staff = Deine Team-Werkzeuge in deinem Namen nutzen: Konten und ihre privaten Angaben nachschlagen (jeder Blick wird im Prüfprotokoll festgehalten)

## Eine App berechtigen

oauth-title = { $app } berechtigen
oauth-made-by = Von { $owner }
oauth-wants = <strong>{ $app }</strong> möchte dein Konto <strong>{ $account }</strong> nutzen, um:
oauth-after = Nach deiner Antwort wirst du zu <strong>{ $host }</strong> weitergeleitet. Du kannst den Zugriff jederzeit unter Einstellungen → Berechtigte Apps widerrufen.
oauth-authorize = Berechtigen
oauth-deny = Ablehnen

## Emotes

emotes-intro = Kanal-Emotes tragen das fünfstellige Präfix deines Kanals. Das Team prüft jedes, bevor es benutzt werden kann. PNG oder GIF, quadratisch, 28–512 Pixel; unbewegt bis 256 KB, animiert bis 1 MB.
emotes-prefix-heading = Präfix
emotes-prefix = Emote-Präfix (5 Buchstaben oder Ziffern)
emotes-save-prefix = Präfix speichern
emotes-upload-heading = Ein Emote hochladen
emotes-name = Name nach dem Präfix
emotes-yours = Deine Emotes
emotes-none = Noch keine Emotes.
emotes-subscribers-only-mark = nur für Abonnierende
emotes-let-everyone = Für alle freigeben
emotes-subscribers-only = Nur für Abonnierende
emotes-status-pending = wartet auf Prüfung
emotes-status-approved = freigegeben
emotes-status-rejected = abgelehnt
emotes-too-large = Diese Datei ist zu groß: Emotes dürfen höchstens 1 MB groß sein.
emotes-choose-review = Wähle freigeben oder ablehnen.

## Eigene Anwendungen

apps-intro = Anwendungen nutzen die API im Namen der Menschen, die sie berechtigen (OAuth2), oder als sie selbst mit ihrer Client-ID und ihrem Geheimnis.
apps-none = Du hast noch keine Anwendungen.
apps-ingest = Ingest
apps-new = Neue Anwendung
apps-create = Anwendung erstellen
apps-ingest-notice = Das ist der Ingest-Zugang: Seine client_credentials-Tokens können Streams starten und beenden und Stream-Schlüssel lesen. Bewahre sein Geheimnis nur auf den Ingest-Servern auf.
apps-client-id = Client-ID
apps-secret-once = Client-Geheimnis (wird nur dieses eine Mal gezeigt)
apps-created = Erstellt am { $when }. Token-Endpunkt: <code>/api/oauth/token</code>; Berechtigung: <code>/oauth/authorize</code>.
apps-details = Angaben
apps-logo = Logo
apps-logo-help = PNG, JPEG oder GIF, bis zu 1024×1024 Pixel und 512 KB
apps-upload-logo = Logo hochladen
apps-secret = Client-Geheimnis
apps-rotate-text = Erneuern erzeugt sofort ein neues Geheimnis; das alte funktioniert nicht mehr. Bereits ausgestellte Tokens funktionieren weiter.
apps-rotate = Geheimnis erneuern
apps-delete-link = Anwendung löschen …
apps-name = Name
apps-description = Beschreibung (freiwillig)
apps-homepage = Webseite (freiwillig)
apps-redirects = Weiterleitungs-URIs, eine pro Zeile
apps-redirects-help = HTTPS ist Pflicht, außer für diesen Rechner: http://127.0.0.1, http://localhost und http://[::1] (jeder Port).
apps-delete-heading = { $app } löschen?
apps-delete-text = Das Löschen der Anwendung widerruft jedes für sie ausgestellte Token, für alle, die sie berechtigt haben. Das lässt sich nicht rückgängig machen.
apps-delete-type = Gib zur Bestätigung <strong>{ $app }</strong> ein
apps-delete = Anwendung löschen
apps-logo-too-large = Diese Datei ist zu groß: Logos dürfen höchstens 512 KB groß sein.
apps-delete-title = { $app } löschen
apps-delete-confirm-refused = Gib den Namen der Anwendung genau ein, um das Löschen zu bestätigen.

## Channel settings: chat background
settings-chat-background = Chat-Hintergrund
settings-chat-background-help = Ein JPEG- oder PNG-Bild mit höchstens 4 MB und mindestens 160×90 Pixeln, das hinter deinem Chat auf deiner Kanalseite und im Pop-out-Chat erscheint (nie im transparenten Overlay). Ein Schleier darüber hält die Nachrichten lesbar.
settings-chat-background-current = Dein aktueller Chat-Hintergrund
settings-chat-background-none = Dein Chat hat kein Hintergrundbild.
settings-chat-background-image = Bild
settings-chat-background-upload = Chat-Hintergrund hochladen
settings-chat-background-remove = Chat-Hintergrund entfernen
chat-background-too-large = Diese Datei ist zu groß: Chat-Hintergründe dürfen höchstens 4 MB groß sein.
chat-background-unreadable = Der Upload konnte nicht gelesen werden. Versuche es noch einmal.
notice-chat-background-saved = Dein Chat-Hintergrund ist gespeichert.
notice-chat-background-removed = Dein Chat-Hintergrund wurde entfernt.
