# E-Mails in der Sprache der Empfangenden. Reiner Text; Leerzeilen trennen Absätze.

mail-confirm-subject = Bestätige deine E-Mail-Adresse für { $site }
mail-confirm-body =
    Hallo { $username },

    bitte bestätige deine E-Mail-Adresse, indem du diesen Link öffnest:

    { $link }

    Der Link funktioniert einmal und läuft in { $hours } Stunden ab. Wenn du dich nicht bei { $site } registriert hast, kannst du diese E-Mail ignorieren.

mail-reset-subject = Setze dein Passwort für { $site } zurück
mail-reset-body =
    Hallo { $username },

    jemand (hoffentlich du) möchte dein Passwort zurücksetzen. Öffne diesen Link, um ein neues zu wählen:

    { $link }

    Der Link funktioniert einmal und läuft in { $minutes } Minuten ab. Wenn du das nicht warst, ignoriere diese E-Mail; dein Passwort bleibt, wie es ist.

mail-new-email-subject = Bestätige deine neue E-Mail-Adresse für { $site }
mail-new-email-body =
    Hallo { $username },

    um diese Adresse zur E-Mail-Adresse deines Kontos bei { $site } zu machen, öffne diesen Link:

    { $link }

    Der Link funktioniert einmal und läuft in { $hours } Stunden ab. Bis dahin behält dein Konto seine bisherige Adresse. Wenn du das nicht warst, kannst du diese E-Mail ignorieren.

mail-email-changing-subject = Deine E-Mail-Adresse bei { $site } wird geändert
mail-email-changing-body =
    Hallo { $username },

    jemand, der in deinem Konto bei { $site } angemeldet ist, möchte dessen E-Mail-Adresse in { $email } ändern. Sie ändert sich erst, wenn der dorthin geschickte Link geöffnet wird.

    Wenn du das nicht warst, ändere jetzt dein Passwort: { $security }

mail-sign-in-subject = Dein Link zur Anmeldung bei { $site }
mail-sign-in-body =
    Hallo { $username },

    jemand (hoffentlich du) hat dein Passwort richtig eingegeben, während die Anmeldung bei { $site } für dein Konto nach vielen Fehlversuchen pausiert war. Öffne diesen Link, um dich anzumelden:

    { $link }

    Der Link funktioniert einmal und läuft in { $minutes } Minuten ab. Wenn du das nicht warst, ändere dein Passwort: Womöglich versucht jemand, es zu erraten.

mail-live-subject = { $name } ist live auf { $site }
mail-live-body =
    Hallo { $username },

    { $streamer } ist jetzt live: { $title }

    Ansehen: { $watch }

    Du bekommst diese E-Mail, weil du { $streamer } mit eingeschalteten Live-Benachrichtigungen folgst.
    Mit einem Klick keine E-Mails mehr zu { $streamer }:
    { $unsubscribe }

# Support-, Team- und Auszahlungs-E-Mails.

mail-support-received-subject = [#{ $id }] Wir haben deine Anfrage erhalten: { $subject }
mail-support-received-body =
    Danke, dass du dich an den Support von { $site } wendest. Deine Anfrage hat die Nummer { $id }:

    { $subject }
    ({ $category })

    Das Team antwortet per E-Mail an diese Adresse. Hier siehst du die Anfrage, ihren Stand und jede Antwort und kannst etwas ergänzen:
    { $link }

    { $private }
mail-support-private-link = Wer diesen Link hat, kann die Anfrage lesen; behalte diese E-Mail also für dich.
mail-support-private-account = Zum Öffnen musst du angemeldet sein.
mail-support-alert-subject = [#{ $id }] Neue Supportanfrage: { $subject }
mail-support-alert-body =
    { $from } bittet um Hilfe ({ $category }):

    { $subject }

    Lies und beantworte sie in der Warteschlange: { $link }
mail-support-again-subject = [#{ $id }] Neue Nachricht der anfragenden Person
mail-support-again-body =
    Die Person hinter Supportanfrage #{ $id } ({ $subject }) hat wieder geschrieben; die Anfrage ist offen und dir zugewiesen.

    { $link }
mail-support-closed-subject = [#{ $id }] Deine Anfrage ist geschlossen: { $subject }
mail-support-reopened-subject = [#{ $id }] Deine Anfrage ist wieder offen: { $subject }
mail-support-closed-intro = Deine Supportanfrage #{ $id } ({ $subject }) ist geschlossen.
mail-support-reopened-intro = Deine Supportanfrage #{ $id } ({ $subject }) ist wieder offen.
mail-support-closed-next = Wenn du noch Hilfe brauchst, antworte auf der Seite der Anfrage, dann wird sie wieder geöffnet.
mail-support-reopened-next = Das Team antwortet per E-Mail.
mail-support-team = Support von { $site }
mail-support-read-here = Den ganzen Verlauf findest du hier:
mail-support-read-or-answer = Den ganzen Verlauf lesen oder antworten kannst du hier:
mail-support-reply-subject = [#{ $id }] Re: { $subject }
mail-report-subject = Neue Meldung #{ $id } über { $name }
mail-report-body =
    { $reporter } hat { $name } gemeldet.

    Wo: { $location }
    Grund: { $reason }
    Anmerkungen: { $notes }

    Prüfe sie in der Warteschlange: { $link }
mail-payout-subject = Deine Auszahlung von { $site }: { $amount }
mail-payout-intro =
    Hallo { $username },

    { $amount } ist über Stripe auf dem Weg zu deiner Bank (Überweisung { $transfer }).
mail-payout-line = - { $kind }: bezahlt { $gross }, Anteil der Website { $cut }, einbehaltene Steuer { $withheld }, dein Anteil { $payout }
mail-payout-earnings = Deine Einnahmen: { $link }
mail-bank-failure-subject = Deine Auszahlung von { $site } über { $amount } hat deine Bank nicht erreicht
mail-bank-failure-no-reason = Stripe hat keinen Grund genannt
mail-bank-failure-body =
    Hallo { $username },

    Stripe konnte { $amount } nicht auf dein Bankkonto einzahlen: { $reason }.

    Das Geld liegt sicher in deinem Stripe-Guthaben. Prüfe deine Bankdaten bei Stripe über { $link }, dann versucht Stripe es erneut.
