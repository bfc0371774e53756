# Emails, in the recipient's language. Bodies are plain text; blank lines separate paragraphs.

mail-confirm-subject = Confirm your email for { $site }
mail-confirm-body =
    Hi { $username },

    Please confirm your email address by opening this link:

    { $link }

    The link works once and expires in { $hours } hours. If you did not sign up for { $site }, you can ignore this email.

mail-reset-subject = Reset your { $site } password
mail-reset-body =
    Hi { $username },

    Someone (hopefully you) asked to reset your password. Open this link to choose a new one:

    { $link }

    The link works once and expires in { $minutes } minutes. If you did not ask for this, ignore this email; your password stays as it is.

mail-new-email-subject = Confirm your new email for { $site }
mail-new-email-body =
    Hi { $username },

    To make this the email address of your { $site } account, open this link:

    { $link }

    The link works once and expires in { $hours } hours. Until then your account keeps its current address. If you did not ask for this, you can ignore this email.

mail-email-changing-subject = Your { $site } email address is being changed
mail-email-changing-body =
    Hi { $username },

    Someone signed in to your { $site } account asked to change its email address to { $email }. It changes only when the link sent there is opened.

    If this was not you, change your password now: { $security }

mail-sign-in-subject = Your link to log in to { $site }
mail-sign-in-body =
    Hi { $username },

    Someone (hopefully you) entered your password correctly while logging in to { $site } was paused for your account after many failed attempts. Open this link to log in:

    { $link }

    The link works once and expires in { $minutes } minutes. If this was not you, change your password: the attempts may be someone guessing it.

mail-live-subject = { $name } is live on { $site }
mail-live-body =
    Hi { $username },

    { $streamer } is live now: { $title }

    Watch: { $watch }

    You get this email because you follow { $streamer } with live notifications on.
    Stop these emails about { $streamer } with one click:
    { $unsubscribe }
