//! Store cases for support requests: filing with a first message, finding a ticket by its
//! link's hash, the requester's list, the staff queue by status and assignee, messages that
//! move the status, tickets that outlive their requester's account, and who is alerted of new
//! ones, on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL.

mod backends;
mod fixtures;

use backends::on_every_backend;
use fixtures::user;
use shimmer_store::{NewSupportMessage, NewSupportTicket, SupportAssignee};

fn request<'a>(requester_id: Option<i64>, subject: &'a str) -> NewSupportTicket<'a> {
    NewSupportTicket {
        requester_id,
        email: "asker@example.com",
        category: "account",
        subject,
        body: "I cannot sign in.",
        author_name: "asker",
        token_hash: None,
        token_sealed: None,
    }
}

#[tokio::test]
async fn tickets_are_filed_found_and_listed() {
    on_every_backend(|store| async move {
        let asker = user(&store, "asker", false).await;
        let first = store
            .create_support_ticket(&request(Some(asker.id), "First"))
            .await
            .unwrap();
        let second = store
            .create_support_ticket(&request(Some(asker.id), "Second"))
            .await
            .unwrap();
        let visitor = store
            .create_support_ticket(&NewSupportTicket {
                requester_id: None,
                email: "visitor@example.com",
                token_hash: Some("hash-of-token"),
                token_sealed: Some("sealed-token"),
                author_name: "visitor@example.com",
                ..request(None, "From a visitor")
            })
            .await
            .unwrap();

        let ticket = store.support_ticket(first).await.unwrap().unwrap();
        assert_eq!(ticket.status, "open");
        assert_eq!(ticket.requester_username.as_deref(), Some("asker"));
        assert_eq!(ticket.assignee_id, None);
        assert_eq!(ticket.created_at, ticket.updated_at);
        let messages = store.support_messages(first).await.unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(
            (messages[0].kind.as_str(), messages[0].body.as_str()),
            ("requester", "I cannot sign in.")
        );

        let mine: Vec<i64> = store
            .support_tickets_of(asker.id, 50, 0)
            .await
            .unwrap()
            .into_iter()
            .map(|ticket| ticket.id)
            .collect();
        assert_eq!(
            mine,
            [second, first],
            "newest first, the visitor's left out"
        );

        let linked = store
            .support_ticket_by_token_hash("hash-of-token")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((linked.id, linked.requester_id), (visitor, None));
        assert!(store
            .support_ticket_by_token_hash("another")
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            store
                .support_token_sealed(visitor)
                .await
                .unwrap()
                .as_deref(),
            Some("sealed-token")
        );
        assert_eq!(store.support_token_sealed(first).await.unwrap(), None);
        assert!(store.support_ticket(999_999).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn the_queue_filters_by_status_and_assignee_and_messages_move_the_status() {
    on_every_backend(|store| async move {
        let staff = user(&store, "helper", true).await;
        let other_staff = user(&store, "other_helper", true).await;
        let asker = user(&store, "asker", false).await;
        let older = store
            .create_support_ticket(&request(Some(asker.id), "Older"))
            .await
            .unwrap();
        let newer = store
            .create_support_ticket(&request(Some(asker.id), "Newer"))
            .await
            .unwrap();
        let theirs = store
            .create_support_ticket(&request(Some(asker.id), "Theirs"))
            .await
            .unwrap();
        assert!(store
            .set_support_assignee(newer, Some(staff.id))
            .await
            .unwrap());
        assert!(store
            .set_support_assignee(theirs, Some(other_staff.id))
            .await
            .unwrap());
        assert!(!store.set_support_assignee(999_999, None).await.unwrap());

        let ids = |tickets: Vec<shimmer_store::SupportTicket>| {
            tickets
                .into_iter()
                .map(|ticket| ticket.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(store
                .support_queue("open", SupportAssignee::Anyone, 50, 0)
                .await
                .unwrap()),
            [older, newer, theirs],
            "the longest waiting first"
        );
        assert_eq!(
            ids(store
                .support_queue("open", SupportAssignee::Nobody, 50, 0)
                .await
                .unwrap()),
            [older]
        );
        let mine = store
            .support_queue("open", SupportAssignee::Staff(staff.id), 50, 0)
            .await
            .unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(
            (mine[0].id, mine[0].assignee_username.as_deref()),
            (newer, Some("helper"))
        );
        assert_eq!(
            ids(store
                .support_queue("open", SupportAssignee::Anyone, 2, 0)
                .await
                .unwrap()),
            [older, newer],
            "at most the limit"
        );
        assert_eq!(
            ids(store
                .support_queue("open", SupportAssignee::Anyone, 2, 2)
                .await
                .unwrap()),
            [theirs],
            "the next page starts after the offset"
        );

        // A staff reply answers the ticket; the message and the status change go together.
        let reply = store
            .add_support_message(
                older,
                &NewSupportMessage {
                    kind: "staff",
                    author_id: Some(staff.id),
                    author_name: "helper",
                    body: "Try resetting your password.",
                },
                Some("answered"),
            )
            .await
            .unwrap();
        assert!(reply.is_some());
        assert_eq!(
            ids(store
                .support_queue("answered", SupportAssignee::Anyone, 50, 0)
                .await
                .unwrap()),
            [older]
        );
        // A note without a status leaves it as it is; a missing ticket takes no message.
        store
            .add_support_message(
                older,
                &NewSupportMessage {
                    kind: "note",
                    author_id: Some(staff.id),
                    author_name: "helper",
                    body: "Sent the usual answer.",
                },
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            store.support_ticket(older).await.unwrap().unwrap().status,
            "answered"
        );
        assert_eq!(
            store
                .add_support_message(
                    999_999,
                    &NewSupportMessage {
                        kind: "staff",
                        author_id: None,
                        author_name: "helper",
                        body: "lost",
                    },
                    Some("answered"),
                )
                .await
                .unwrap(),
            None
        );
        let kinds: Vec<String> = store
            .support_messages(older)
            .await
            .unwrap()
            .into_iter()
            .map(|message| message.kind)
            .collect();
        assert_eq!(kinds, ["requester", "staff", "note"], "oldest first");

        assert!(store.set_support_status(older, "closed").await.unwrap());
        assert!(!store.set_support_status(999_999, "closed").await.unwrap());
        assert_eq!(
            ids(store
                .support_queue("closed", SupportAssignee::Anyone, 50, 0)
                .await
                .unwrap()),
            [older]
        );
    })
    .await;
}

#[tokio::test]
async fn tickets_outlive_the_accounts_of_requesters_and_staff() {
    on_every_backend(|store| async move {
        let staff = user(&store, "helper", true).await;
        let asker = user(&store, "asker", false).await;
        let id = store
            .create_support_ticket(&request(Some(asker.id), "Keep me"))
            .await
            .unwrap();
        store
            .set_support_assignee(id, Some(staff.id))
            .await
            .unwrap();
        store.delete_user(asker.id).await.unwrap();
        store.delete_user(staff.id).await.unwrap();
        let ticket = store.support_ticket(id).await.unwrap().unwrap();
        assert_eq!(
            (
                ticket.requester_id,
                ticket.requester_username,
                ticket.assignee_id
            ),
            (None, None, None)
        );
        assert_eq!(ticket.email, "asker@example.com");
        let messages = store.support_messages(id).await.unwrap();
        assert_eq!(
            (messages[0].author_id, messages[0].author_name.as_str()),
            (None, "asker")
        );
    })
    .await;
}

#[tokio::test]
async fn support_alerts_go_to_staff_from_a_level_up() {
    on_every_backend(|store| async move {
        let member = user(&store, "member", false).await;
        let trial = user(&store, "trial", false).await;
        let helper = user(&store, "helper", false).await;
        let boss = user(&store, "boss", false).await;
        for (account, level) in [(&trial, 1), (&helper, 2), (&boss, 4)] {
            assert!(store.set_staff_level(account.id, level).await.unwrap());
        }
        let contacts = store.staff_contacts_from_level(2).await.unwrap();
        assert_eq!(
            contacts,
            [
                (helper.id, helper.email.clone()),
                (boss.id, boss.email.clone())
            ]
        );
        assert!(contacts.iter().all(|(id, _)| *id != member.id));
    })
    .await;
}
