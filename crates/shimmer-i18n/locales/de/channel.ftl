# Die Kanalseite, ihr Player und der Hinweis vor Inhalten ab 18.

channel-share-live = { $name } ist live auf Shimmer: { $title }
channel-share-offline = { $name } streamt auf Shimmer: { $title }
channel-hosting = <strong>{ $name }</strong> ist offline und zeigt <a href="/{ $href }">{ $host }</a>: { $title }
channel-offline-now = <strong>{ $name }</strong> ist gerade offline.
channel-offline-autoplay = Diese Seite spielt von selbst ab, sobald der Stream beginnt.
channel-watching = Zuschauende: <span data-viewer-count data-testid="viewer-count">{ $count }</span>
channel-edit = Kanal bearbeiten
channel-followers-link = Follower: <span data-follower-count>{ $count }</span>
channel-notify = Schick mir eine E-Mail, wenn { $name } live geht
channel-login-to-follow = Anmelden, um zu folgen
channel-login-to-support = Anmelden, um zu abonnieren oder zu spenden
channel-subscribed = Abonniert
channel-subscribe = Abonnieren ({ $price } im Monat)
channel-donate = Spenden
channel-donation-amount = Betrag ({ $min } bis { $max })
channel-donation-message = Nachricht für den Chat
channel-donation-message-help = (freiwillig, bis zu 200 Zeichen)
channel-continue-payment = Weiter zur Zahlung
channel-gift = Ein Abo verschenken
channel-gift-recipient = Benutzername der Person, die einen Monat ({ $price }) geschenkt bekommt
channel-edit-stream = Stream-Informationen bearbeiten
channel-pop-out = Chat in eigenem Fenster
channel-moderation = Moderation
channel-profile = Profil
channel-report = Melden
mature-title = { $name } (ab 18)

## Skripte: Folgen-Knopf, Raids und Hosting, Player

js-follow = Folgen
js-unfollow = Nicht mehr folgen
js-raid-go-now = Jetzt zu { $name }
js-raid-go = Zu { $name }
js-raid-stay = Hierbleiben
js-raid-countdown = { $from } raidet { $to }! Es geht in { $seconds } s dorthin.
js-raid-stayed = { $from } hat { $to } geraidet. Du bist hiergeblieben.
js-player-offline = { $name } ist gerade offline.
js-player-offline-unnamed = Dieser Kanal ist gerade offline.
js-player-autoplay = Die Wiedergabe startet von selbst, sobald der Stream beginnt.
js-player-tap-unmute = Tippen für Ton
js-player-mute = Stummschalten
js-player-unmute = Ton an
js-player-volume = Lautstärke
js-player-stats = Statistik
js-player-full-screen = Vollbild
js-player-live = LIVE
js-player-reconnecting = Verbindung wird wiederhergestellt …
js-player-connecting = Verbinden …
js-player-no-webrtc = Dieser Browser kann keine WebRTC-Streams abspielen.
js-player-server-answered = Der Server antwortete mit { $status }.
js-player-restarting = Der Server startet neu …
js-player-stream-stopped = Der Stream kommt nicht mehr an.
js-player-could-not-start = Die Wiedergabe konnte nicht starten.
js-player-connection-lost = Verbindung verloren.
js-tags-chosen = Gewählte Schlagwörter
js-tags-add = Schlagwort hinzufügen
js-tags-remove = Schlagwort { $tag } entfernen
js-tags-invalid = „{ $tag }“ ist kein gültiges Schlagwort: Verwende 2–18 Buchstaben, Ziffern, Leerzeichen, Bindestriche oder Doppelpunkte.
js-tags-too-many = Ein Kanal kann höchstens { $max } Schlagwörter haben.
js-hide = Verbergen
js-show = Zeigen
js-copied = In die Zwischenablage kopiert.
js-copy-by-hand = Drücke Strg+C (oder ⌘C), um den markierten Schlüssel zu kopieren.
channel-about = Über { $name }
js-player-compat-title = Kompatibilitätsmodus: über HLS abspielen (einige Sekunden mehr Verzögerung)
js-player-hls-link-title = HLS-Link für VLC und andere Player kopieren
js-player-hls-link-label = HLS-Link kopieren
js-player-hls-link = HLS-Link
js-player-pip = Bild im Bild
js-player-paused = Pausiert
js-player-no-player = Dieser Browser kann weder WebRTC- noch HLS-Streams abspielen.
js-player-hls-not-loaded = Der HLS-Player konnte nicht geladen werden.
js-player-copied = Kopiert
js-player-hls-prompt = HLS-Link für externe Player:
js-hls-failed = Der HLS-Stream konnte nicht abgespielt werden.
js-hls-ended = Der Stream ist zu Ende.
js-hls-stopped = Der HLS-Stream ist abgebrochen.
js-key-space = Leertaste
js-shortcut-play = Pause oder Wiedergabe
js-shortcut-mute = Ton aus oder an
js-theatre = Kinomodus
js-shortcut-help = Diese Tastenkürzel zeigen
js-shortcut-close = Diese Liste schließen
js-shortcuts = Tastenkürzel

## Die Moderationsseite

moderation-title = Moderation · { $name }
moderation-act = Gegen eine chattende Person vorgehen
moderation-action = Aktion
moderation-short = 5 Minuten Auszeit
moderation-long = 15 Minuten Auszeit
moderation-apply = Ausführen
moderation-bans = Verbannt und mit Auszeit
moderation-no-bans = Niemand ist verbannt oder hat eine Auszeit.
moderation-log = Moderationsprotokoll
moderation-log-empty = Noch nichts.
moderation-when = Wann
moderation-chatter = Chattende Person
moderation-banned = verbannt
moderation-timed-out-for = Auszeit für weitere { $minutes } Minuten
moderation-deleted-user = gelöschtes Konto
moderation-action-short-timeout = kurze Auszeit
moderation-action-long-timeout = lange Auszeit
moderation-action-ban = Verbannung
moderation-action-unban = Verbannung aufgehoben
moderation-action-delete-message = Nachricht gelöscht
moderation-action-slow-mode = langsamer Modus
moderation-action-clear-chat = Chat geleert
moderation-action-edit-title-and-tags = Titel und Schlagwörter bearbeitet

## Channel header: uptime and the Share menu
js-channel-live-for = Live seit { $time }
channel-share = Teilen
channel-share-options = Diesen Kanal teilen
channel-share-copy = Link kopieren
js-channel-share-copied = Kopiert
js-channel-share-copy-failed = Kopieren nicht möglich. Der Link lautet { $url }
channel-share-x = Auf X (Twitter) teilen
channel-share-reddit = Auf Reddit teilen
