# Das Chatfenster und was sein Skript zeigt: Abzeichen, Moderation, Ablehnungen, Systemzeilen.

chat-jump = Neue Nachrichten unten
chat-message-label = Nachricht
chat-send = Senden
chat-login = <a href="/users/login">Melde dich an</a> oder <a href="/users/register">registriere dich</a>, um zu chatten.
chat-popout-title = Chat · { $name }

js-chat-title = Chat
js-chat-timestamps = Uhrzeiten
js-chat-hide-times = Uhrzeiten der Nachrichten ausblenden
js-chat-show-times = Uhrzeiten der Nachrichten zeigen
js-chat-rules = Chatregeln
js-chat-cancel-reply = Antwort abbrechen
js-chat-mention-list = Personen zum Erwähnen
js-chat-placeholder = Nachricht schreiben
js-chat-emotes = Emotes
js-chat-load-failed = Der Chat konnte nicht geladen werden. Lade die Seite neu, um es noch einmal zu versuchen.
js-chat-start-failed = Der Chat konnte nicht starten. Lade die Seite neu, um es noch einmal zu versuchen.
js-chat-failed = Im Chat ist etwas schiefgelaufen. Lade die Seite neu, falls er sich nicht mehr aktualisiert.
js-chat-connecting = Verbindung zum Chat wird hergestellt …
js-chat-reconnecting = Verbindung wird wiederhergestellt …
js-chat-restarting = Der Chatserver startet neu; Verbindung wird wiederhergestellt …
js-chat-account-banned = Dieses Konto wurde von der Plattform gesperrt. Der Chat ist geschlossen.
js-chat-trouble = Der Chat hat Probleme.
js-chat-lagged = Der Chat kam nicht hinterher; einige Nachrichten wurden übersprungen.
js-chat-refused = Das wurde abgelehnt.
js-chat-type-first = Schreib zuerst eine Nachricht.
js-chat-cannot-chat-here = Du kannst hier gerade nicht chatten.
js-chat-log-in = Melde dich an, um zu chatten.
js-chat-not-connected-kept = Nicht verbunden. Deine Nachricht bleibt erhalten; schick sie noch einmal, sobald der Chat wieder verbunden ist.
js-chat-not-connected = Nicht verbunden. Versuche es noch einmal, sobald der Chat wieder verbunden ist.
js-chat-cannot-chat-now = Du kannst gerade nicht chatten
js-chat-again-in = Du kannst in { $time } wieder chatten.
js-chat-again-in-short = Wieder chatten in { $time }
js-chat-banned = Du bist aus diesem Chat verbannt.
js-chat-unbanned = Du kannst wieder chatten.
js-chat-timeout-over = Deine Auszeit ist vorbei. Du kannst wieder chatten.
js-chat-timed-out-until = Du hast eine Auszeit bis { $time }.
js-chat-you-were-timed-out = Du hast eine Auszeit bekommen.
js-chat-you-were-timed-out-for = Du hast eine Auszeit von { $length } bekommen (bis { $time }).
js-chat-you-are-timed-out = Du hast in diesem Chat eine Auszeit.
js-chat-you-are-timed-out-for = Du hast in diesem Chat eine Auszeit von { $length } (bis { $time }).
js-chat-message-deleted = Eine moderierende Person hat eine deiner Nachrichten gelöscht.
js-chat-someone = jemand
js-chat-replying-to = Antwort an @{ $name }
js-chat-replying-to-excerpt = Antwort an @{ $name }: { $excerpt }
js-chat-reply-removed = (Nachricht entfernt)
js-chat-reply = Antworten
js-chat-reply-to = { $name } antworten
js-chat-close = Schließen
js-chat-moderate = { $name } moderieren
js-chat-actions-for = Aktionen für { $name }
js-chat-action-short-timeout = 5 Min. Auszeit
js-chat-action-long-timeout = 15 Min. Auszeit
js-chat-action-ban = Verbannen
js-chat-action-unban = Verbannung aufheben
js-chat-action-delete = Diese Nachricht löschen
js-chat-action-report = Melden
js-chat-done-short-timeout = { $name } hat eine Auszeit von 5 Minuten bekommen.
js-chat-done-long-timeout = { $name } hat eine Auszeit von 15 Minuten bekommen.
js-chat-done-ban = { $name } wurde verbannt.
js-chat-done-unban = Die Verbannung von { $name } wurde aufgehoben.
js-chat-done-delete = Eine Nachricht von { $name } wurde gelöscht.
js-chat-done-other = { $name } wurde moderiert.
js-badge-streamer = Streamer
js-badge-streamer-title = Streamende Person
js-badge-moderator = Mod
js-badge-moderator-title = Moderation
js-badge-subscriber = Abo
js-badge-subscriber-title = Abonnent
js-badge-staff = Team
js-badge-staff-title = Shimmer-Team
js-badge-founder = Gründer
js-badge-founder-title = Gründungsmitglied: unterstützt diese Seite
js-badge-supporter = Unterstützer
js-badge-supporter-title = Unterstützer: unterstützt diese Seite

## Systemzeilen

js-chat-followed = { $name } folgt dem Kanal jetzt!
js-chat-subscribed = { $name } hat gerade abonniert!
js-chat-donated = { $name } hat gerade { $amount } gespendet!
js-chat-gifted = { $name } hat { $recipient } ein Abo geschenkt!
js-chat-raid-outgoing-one = { $from } raidet { $to } mit { $count } Zuschauer!
js-chat-raid-outgoing-other = { $from } raidet { $to } mit { $count } Zuschauern!
js-chat-raid-incoming-one = { $from } raidet mit { $count } Zuschauer!
js-chat-raid-incoming-other = { $from } raidet mit { $count } Zuschauern!

## Karten der Chattenden

js-card-loading = Wird geladen …
js-card-too-many = Zu viele Karten auf einmal geöffnet. Versuche es gleich noch einmal.
js-card-failed = Diese Karte konnte nicht geladen werden.
js-card-created = Konto erstellt am { $date } ({ $age })
js-card-not-following = Folgt diesem Kanal nicht
js-card-following-since = Folgt seit { $date } ({ $age })
js-card-banned = Aus diesem Chat verbannt
js-card-timed-out-until = Auszeit bis { $time }
js-card-in-good-standing = Hier weder verbannt noch in einer Auszeit
js-card-no-history = Hier keine Moderationsgeschichte
js-card-history = Moderationsgeschichte hier
js-card-history-step = { $what }, { $date }
js-card-history-step-by = { $what } durch { $moderator }, { $date }
js-card-history-short-timeout = 5 Min. Auszeit
js-card-history-long-timeout = 15 Min. Auszeit
js-card-history-ban = Verbannt
js-card-history-unban = Verbannung aufgehoben
js-card-history-delete = Nachricht gelöscht

## Die Regeln des Kanals und die Ablehnungen, die Chattende bekommen

chat-rule-age = Konten können chatten, sobald sie { $hours } Stunden alt sind.
chat-rule-email = Zum Chatten braucht es eine bestätigte E-Mail-Adresse.
chat-rule-subscribers = Nur Abonnierende können chatten.
chat-rule-links = Links sind nicht erlaubt.
chat-rule-slow = Langsamer Modus: eine Nachricht alle { $seconds } Sekunden.
chat-refusal-banned = Du bist aus diesem Chat verbannt.
chat-refusal-timed-out = Du hast in diesem Chat noch { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    } Auszeit.
chat-refusal-email = Dieser Kanal verlangt zum Chatten eine bestätigte E-Mail-Adresse. Bestätige deine über den Link, den wir dir geschickt haben (unter Einstellungen → Sicherheit kannst du ihn erneut anfordern).
chat-refusal-subscribers = Hier können gerade nur Abonnierende chatten. Abonniere auf der Kanalseite, um mitzumachen.
chat-refusal-account-age = Dieser Kanal lässt Konten chatten, sobald sie { $hours } Stunden alt sind. Du kannst in { $minutes ->
        [one] { $minutes } Minute
       *[other] { $minutes } Minuten
    } chatten.
chat-refusal-links = Dieser Kanal erlaubt keine Links im Chat.
chat-refusal-slow = Der langsame Modus ist an: Du kannst in { $seconds } Sekunden die nächste Nachricht senden.
chat-refusal-duplicate = Diese Nachricht hast du gerade erst gesendet. Schreib etwas Neues oder warte ein wenig.
