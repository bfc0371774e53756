//! Store cases for staff tools: staff levels kept in step with `is_admin`, account search,
//! platform bans, hiding every message of an account, revoking its tokens, and the audit log,
//! on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL.

mod backends;
mod fixtures;

use backends::{on_every_backend, on_every_backend_with_url};
use fixtures::user;
use sqlx::Connection;

use shimmer_store::{AuditFilter, NewAuditEntry};

#[tokio::test]
async fn staff_levels_move_with_is_admin() {
    on_every_backend(|store| async move {
        let admin = user(&store, "operator", true).await;
        assert_eq!((admin.is_admin, admin.staff_level), (true, 5));
        let member = user(&store, "member", false).await;
        assert_eq!((member.is_admin, member.staff_level), (false, 0));
        assert!(member.can_stream);
        assert!(store.set_staff_level(member.id, 2).await.unwrap());
        let member = store.user_by_id(member.id).await.unwrap().unwrap();
        assert_eq!((member.is_admin, member.staff_level), (true, 2));
        store.set_staff_level(member.id, 0).await.unwrap();
        let member = store.user_by_id(member.id).await.unwrap().unwrap();
        assert!(!member.is_admin);
        assert!(!store.set_staff_level(99_999, 3).await.unwrap());
        store.set_can_stream(member.id, false).await.unwrap();
        assert!(
            !store
                .user_by_id(member.id)
                .await
                .unwrap()
                .unwrap()
                .can_stream
        );
    })
    .await;
}

#[tokio::test]
async fn search_finds_names_addresses_and_ids_and_escapes_wildcards() {
    on_every_backend(|store| async move {
        let alice = user(&store, "alice_w", false).await;
        let bob = user(&store, "bobby", false).await;
        let names = |found: Vec<shimmer_store::AccountMatch>| {
            found.into_iter().map(|m| m.username).collect::<Vec<_>>()
        };
        assert_eq!(
            names(store.search_accounts("ALICE", 50).await.unwrap()),
            ["alice_w"]
        );
        assert_eq!(
            names(store.search_accounts("bobby@example", 50).await.unwrap()),
            ["bobby"]
        );
        assert_eq!(
            names(
                store
                    .search_accounts(&bob.id.to_string(), 50)
                    .await
                    .unwrap()
            ),
            ["bobby"]
        );
        let channel = store.channel_by_user(alice.id).await.unwrap().unwrap();
        assert!(names(
            store
                .search_accounts(&channel.id.to_string(), 50)
                .await
                .unwrap()
        )
        .contains(&"alice_w".to_owned()));
        // `_` and `%` are literal, not wildcards.
        assert_eq!(
            names(store.search_accounts("e_w", 50).await.unwrap()),
            ["alice_w"]
        );
        assert!(store.search_accounts("%", 50).await.unwrap().is_empty());
        assert_eq!(store.search_accounts("example", 1).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_ban_is_recorded_once_keeps_the_address_and_lifts() {
    on_every_backend(|store| async move {
        let staff = user(&store, "staffer", true).await;
        let target = user(&store, "target", false).await;
        let channel = store.channel_by_user(target.id).await.unwrap().unwrap();
        let other = store.channel_by_user(staff.id).await.unwrap().unwrap();
        let mut ids = Vec::new();
        for channel_id in [channel.id, other.id, other.id] {
            ids.push(
                store
                    .insert_chat_message(channel_id, target.id, "", "spam", "[]", 1)
                    .await
                    .unwrap(),
            );
        }
        store
            .insert_chat_message(other.id, staff.id, "", "staff says hi", "[]", 2)
            .await
            .unwrap();

        assert!(store
            .create_platform_ban(target.id, "Target@Example.com", "spam", staff.id)
            .await
            .unwrap());
        assert!(!store
            .create_platform_ban(target.id, "target@example.com", "again", staff.id)
            .await
            .unwrap());
        let ban = store.active_platform_ban(target.id).await.unwrap().unwrap();
        assert_eq!(ban.reason, "spam");
        assert_eq!(ban.banned_by.as_deref(), Some("staffer"));
        assert!(store.email_banned("TARGET@example.com").await.unwrap());

        let mut hidden = store
            .hide_chat_messages_everywhere(target.id, "platform_ban")
            .await
            .unwrap();
        hidden.sort();
        let mut expected = vec![(channel.id, vec![ids[0]]), (other.id, vec![ids[1], ids[2]])];
        expected.sort();
        assert_eq!(hidden, expected);
        assert_eq!(
            store.count_chat_messages(other.id).await.unwrap(),
            1,
            "the staff line stays"
        );
        let history = store.account_chat_messages(target.id, 0, 10).await.unwrap();
        assert_eq!(history.len(), 3);
        assert!(history
            .iter()
            .all(|message| message.hidden_reason.as_deref() == Some("platform_ban")));

        store
            .log_moderation(other.id, staff.id, Some(target.id), "ban", None)
            .await
            .unwrap();
        let moderation = store.account_moderation(target.id, 10).await.unwrap();
        assert_eq!(moderation.len(), 1);
        assert_eq!(
            (
                moderation[0].channel.as_str(),
                moderation[0].moderator.as_deref(),
                moderation[0].action.as_str()
            ),
            ("staffer", Some("staffer"), "ban")
        );

        assert!(store.lift_platform_ban(target.id, staff.id).await.unwrap());
        assert!(!store.lift_platform_ban(target.id, staff.id).await.unwrap());
        assert!(store
            .active_platform_ban(target.id)
            .await
            .unwrap()
            .is_none());
        assert!(!store.email_banned("target@example.com").await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_appends_searches_and_refuses_changes() {
    on_every_backend_with_url(|store, url| async move {
        let staff = user(&store, "Auditor", true).await;
        let target = user(&store, "watched", false).await;
        for action in ["view_account", "ban", "ban_end_sessions"] {
            store
                .append_audit(&NewAuditEntry {
                    actor_id: staff.id,
                    actor_username: &staff.username,
                    action,
                    target_user_id: Some(target.id),
                    target_username: Some(&target.username),
                    target_channel_id: None,
                    before: Some(r#"{"banned":false}"#.into()),
                    after: Some(r#"{"banned":true}"#.into()),
                    reason: "spam",
                })
                .await
                .unwrap();
        }
        store
            .append_audit(&NewAuditEntry {
                actor_id: staff.id,
                actor_username: &staff.username,
                action: "search",
                ..NewAuditEntry::default()
            })
            .await
            .unwrap();
        let all = store
            .audit_entries(&AuditFilter::default(), 0, 50)
            .await
            .unwrap();
        assert_eq!(
            all.iter()
                .map(|entry| entry.action.as_str())
                .collect::<Vec<_>>(),
            ["search", "ban_end_sessions", "ban", "view_account"]
        );
        let filter = |actor: &str, target: &str, action: &str| AuditFilter {
            actor: actor.into(),
            target: target.into(),
            action: action.into(),
        };
        let count = |found: Vec<shimmer_store::AuditEntry>| found.len();
        assert_eq!(
            count(
                store
                    .audit_entries(&filter("audi", "", ""), 0, 50)
                    .await
                    .unwrap()
            ),
            4
        );
        assert_eq!(
            count(
                store
                    .audit_entries(&filter("", "WATCH", "ban"), 0, 50)
                    .await
                    .unwrap()
            ),
            2
        );
        assert_eq!(
            count(
                store
                    .audit_entries(&filter("", "", "ban_"), 0, 50)
                    .await
                    .unwrap()
            ),
            1
        );
        assert_eq!(
            count(
                store
                    .audit_entries(&filter("nobody", "", ""), 0, 50)
                    .await
                    .unwrap()
            ),
            0
        );
        let second_page = store
            .audit_entries(&AuditFilter::default(), 1, 2)
            .await
            .unwrap();
        assert_eq!(second_page[0].action, "ban_end_sessions");

        // The store has no query that changes a row; the schema refuses anyone else.
        let mut connection = sqlx::AnyConnection::connect(&url).await.unwrap();
        for statement in [
            "UPDATE staff_audit SET reason = 'nothing'",
            "DELETE FROM staff_audit",
        ] {
            let error = sqlx::query(statement)
                .execute(&mut connection)
                .await
                .expect_err(statement);
            assert!(error.to_string().contains("append-only"), "{error}");
        }
        assert_eq!(
            store
                .audit_entries(&AuditFilter::default(), 0, 50)
                .await
                .unwrap()
                .len(),
            4
        );
    })
    .await;
}
