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
