# Support requests: the form, the requester's pages and the staff queue.

support-intro = Ask the staff team for help with anything on { $site }. Each request gets a number, and we answer by email.
support-log-in-first = Have an account? <a href="/users/login">Log in</a> first to keep your requests together.
support-report-hint = To report an account, use “Report” on its channel or profile.
support-email = Your email address
support-about = What is it about?
support-choose-topic = Choose a topic
support-category-account = My account or signing in
support-subject = Subject
support-message = Your message
support-send = Send request
support-received = Request #{ $id } received
support-sent-signed-in = Thank you. We sent a confirmation to { $email }, and you can follow the request on the site.
support-see = See your request
support-new = New request
support-none = You have not asked for support yet.
support-updated = updated { $when }
support-all = All your requests
support-status-line = Status: <strong data-testid="ticket-status">{ $status }</strong>
support-add = Add to your request
support-closed-hint = This request is closed; sending a message opens it again.
support-note = note for staff
support-pages = Request pages
pager-previous = Previous
pager-page = Page { $number }
pager-next = Next
support-intro-signed-in = Ask the staff team for help with anything on { $site }. Each request gets a number, and we answer by email at your account's address.
support-category-payments = Payments, subscriptions or payouts
support-category-streaming = Streaming and going live
support-category-technical = Something on the site does not work
support-category-safety = Safety, harassment or abuse
support-category-other = Something else
support-status-open = Open: waiting on staff
support-status-answered = Answered
support-status-closed = Closed
support-status-unknown = Unknown
support-sent-link = Thank you. We sent a confirmation to { $email } with a private link to follow the request and read our answers.
support-filed = filed { $when }
support-request-title = Support request #{ $id }
