# The staff pages: queues, lookups, the audit log, reports and payments.

staff-queues = Staff queues
staff-report-status = Report status
staff-report-status-open = Open
staff-reports-none = No reports here.
staff-report-filed = Filed by { $reporter } on { $when }
staff-report-mark-open = Mark open
staff-report-status-resolved = Resolved
staff-report-status-dismissed = Dismissed
staff-report-message = chat message: “{ $message }”
staff-report-mark-resolved = Mark resolved
staff-report-mark-dismissed = Mark dismissed
staff-deleted-account = a deleted account
