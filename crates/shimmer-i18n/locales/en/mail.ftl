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

# Support, staff and payday emails.

mail-support-received-subject = [#{ $id }] We received your request: { $subject }
mail-support-received-body =
    Thank you for writing to { $site } support. Your request is number { $id }:

    { $subject }
    ({ $category })

    The staff team answers by email at this address. See the request, its status and every reply, or add to it, here:
    { $link }

    { $private }
mail-support-private-link = Anyone with this link can read the request, so keep this email to yourself.
mail-support-private-account = You need to be signed in to open it.
mail-support-alert-subject = [#{ $id }] New support request: { $subject }
mail-support-alert-body =
    { $from } asked for help ({ $category }):

    { $subject }

    Read and answer it in the queue: { $link }
mail-support-again-subject = [#{ $id }] New message from the requester
mail-support-again-body =
    The requester of support request #{ $id } ({ $subject }) wrote again; it is open and assigned to you.

    { $link }
mail-support-closed-subject = [#{ $id }] Your request is closed: { $subject }
mail-support-reopened-subject = [#{ $id }] Your request is open again: { $subject }
mail-support-closed-intro = Your support request #{ $id } ({ $subject }) is closed.
mail-support-reopened-intro = Your support request #{ $id } ({ $subject }) is open again.
mail-support-closed-next = If you still need help, answer on its page and it opens again.
mail-support-reopened-next = The staff team will answer by email.
mail-support-team = { $site } support
mail-support-read-here = Read the whole conversation here:
mail-support-read-or-answer = Read the whole conversation or answer here:
mail-support-reply-subject = [#{ $id }] Re: { $subject }
mail-report-subject = New report #{ $id } about { $name }
mail-report-body =
    { $reporter } reported { $name }.

    Where: { $location }
    Reason: { $reason }
    Notes: { $notes }

    Review it in the queue: { $link }
mail-payout-subject = Your { $site } payout: { $amount }
mail-payout-intro =
    Hello { $username },

    { $amount } is on its way to your bank through Stripe (transfer { $transfer }).
mail-payout-line = - { $kind }: paid { $gross }, site's cut { $cut }, tax withheld { $withheld }, yours { $payout }
mail-payout-earnings = Your earnings: { $link }
mail-bank-failure-subject = Your { $site } payout of { $amount } did not reach your bank
mail-bank-failure-no-reason = Stripe gave no reason
mail-bank-failure-body =
    Hello { $username },

    Stripe could not pay { $amount } into your bank account: { $reason }.

    The money is safe in your Stripe balance. Check your bank details in Stripe from { $link } and Stripe will try again.
