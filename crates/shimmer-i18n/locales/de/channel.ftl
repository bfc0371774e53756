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
