//! Store cases for money: the webhook event queue, subscriptions, payments with their
//! payables, payout accounts and paydays, on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is
//! set) PostgreSQL.

mod backends;
mod fixtures;

use backends::on_every_backend;
use fixtures::user;
use shimmer_store::{
    NewPayable, NewPayment, NewPayoutLine, SubscriptionUpsert, TransferConfirmation,
};

#[tokio::test]
async fn events_are_stored_once_claimed_once_and_replayed() {
    on_every_backend(|store| async move {
        assert!(store
            .insert_payment_event("evt_1", "invoice.paid", "{}")
            .await
            .unwrap());
        assert!(!store
            .insert_payment_event("evt_1", "invoice.paid", "{\"x\":1}")
            .await
            .unwrap());
        let due = store.due_payment_events(i64::MAX, 10).await.unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].payload, "{}", "the first delivery is kept");
        let seen = due[0].next_attempt_at;
        assert!(store
            .claim_payment_event("evt_1", seen, seen + 1000)
            .await
            .unwrap());
        assert!(
            !store
                .claim_payment_event("evt_1", seen, seen + 2000)
                .await
                .unwrap(),
            "a second worker cannot take it"
        );
        store
            .finish_payment_event("evt_1", "failed", seen, "boom")
            .await
            .unwrap();
        let failed = store
            .recent_payment_events(Some("failed"), 10)
            .await
            .unwrap();
        assert_eq!((failed.len(), failed[0].attempts), (1, 1));
        assert_eq!(failed[0].last_error, "boom");
        assert!(failed[0].processed_at.is_some());
        assert!(store
            .recent_payment_events(Some("done"), 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            store.recent_payment_events(None, 10).await.unwrap().len(),
            1
        );
        assert!(store.replay_payment_event("evt_1").await.unwrap());
        assert!(!store.replay_payment_event("evt_nope").await.unwrap());
        let event = store.payment_event("evt_1").await.unwrap().unwrap();
        assert_eq!((event.status.as_str(), event.attempts), ("pending", 0));
    })
    .await;
}

#[tokio::test]
async fn subscriptions_and_platform_tiers_follow_their_state() {
    on_every_backend(|store| async move {
        let streamer = user(&store, "streamer", false).await;
        let viewer = user(&store, "viewer", false).await;
        let channel = store.channel_by_user(streamer.id).await.unwrap().unwrap();
        let upsert = |status: &'static str, product: &'static str, channel_id, id: &'static str| {
            SubscriptionUpsert {
                user_id: viewer.id,
                product,
                channel_id,
                stripe_subscription_id: id,
                status,
                amount_cents: 500,
                currency: "usd",
                current_period_end: 1_000,
            }
        };
        let first = store
            .upsert_subscription(&upsert("active", "channel", Some(channel.id), "sub_c"))
            .await
            .unwrap();
        let again = store
            .upsert_subscription(&upsert("canceling", "channel", Some(channel.id), "sub_c"))
            .await
            .unwrap();
        assert_eq!(first.id, again.id, "one row per Stripe subscription");
        assert_eq!(again.status, "canceling");
        assert_eq!(
            store.channel_subscriber_ids(channel.id).await.unwrap(),
            [viewer.id]
        );
        store
            .upsert_subscription(&upsert("active", "supporter", None, "sub_p"))
            .await
            .unwrap();
        assert_eq!(
            store.live_subscriptions_of(viewer.id).await.unwrap().len(),
            2
        );
        let of_channel = store
            .subscriptions_matching(Some(channel.id), None, 10)
            .await
            .unwrap();
        assert_eq!(of_channel.len(), 1);
        assert_eq!(of_channel[0].stripe_subscription_id, "sub_c");
        assert_eq!(
            store
                .subscriptions_matching(None, Some(viewer.id), 10)
                .await
                .unwrap()
                .len(),
            2
        );
        assert!(store
            .subscriptions_matching(Some(channel.id), Some(streamer.id), 10)
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .channel_shows_subscribe_button(channel.id)
            .await
            .unwrap());
        store.set_subscribe_button(channel.id, false).await.unwrap();
        assert!(!store
            .channel_shows_subscribe_button(channel.id)
            .await
            .unwrap());
        store
            .upsert_subscription(&upsert("ended", "channel", Some(channel.id), "sub_c"))
            .await
            .unwrap();
        assert!(store
            .channel_subscriber_ids(channel.id)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            store.live_subscriptions_of(viewer.id).await.unwrap().len(),
            1
        );
        // A gift month ends once its period is over, and only then.
        let gift = SubscriptionUpsert {
            stripe_subscription_id: "gift:cs_1",
            current_period_end: 5_000,
            ..upsert("canceling", "channel", Some(channel.id), "unused")
        };
        store.upsert_subscription(&gift).await.unwrap();
        assert!(store.end_lapsed_gifts(4_999).await.unwrap().is_empty());
        assert_eq!(
            store.end_lapsed_gifts(5_000).await.unwrap(),
            [(viewer.id, Some(channel.id))]
        );
        assert!(store.end_lapsed_gifts(9_000).await.unwrap().is_empty());
        assert!(store.accepts_gifts(viewer.id).await.unwrap());
        store.set_accepts_gifts(viewer.id, false).await.unwrap();
        assert!(!store.accepts_gifts(viewer.id).await.unwrap());
        store.set_platform_tier(viewer.id, "founder").await.unwrap();
        let viewer = store.user_by_id(viewer.id).await.unwrap().unwrap();
        assert_eq!(viewer.platform_tier, "founder");
        assert_eq!(
            store
                .save_payment_customer(viewer.id, "cus_1")
                .await
                .unwrap(),
            "cus_1"
        );
        assert_eq!(
            store
                .save_payment_customer(viewer.id, "cus_2")
                .await
                .unwrap(),
            "cus_1",
            "the first customer stays"
        );
    })
    .await;
}

fn payable(streamer_id: i64, payout_cents: i64) -> NewPayable {
    NewPayable {
        streamer_id,
        gross_cents: 500,
        fee_cents: 45,
        platform_cut_bp: 1000,
        platform_cut_cents: 50,
        withholding_bp: 0,
        withholding_cents: 500 - 50 - payout_cents,
        payout_cents,
    }
}

async fn pay(store: &shimmer_store::Store, id: &str, streamer_id: i64, cents: i64) -> Option<i64> {
    store
        .record_payment(&NewPayment {
            stripe_object_id: id,
            kind: "channel_subscription",
            payer_id: None,
            channel_id: None,
            subscription_id: None,
            gross_cents: 500,
            fee_cents: 45,
            currency: "usd",
            message: "",
            payable: Some(payable(streamer_id, cents)),
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn payments_are_recorded_once_and_paydays_pay_each_payable_once() {
    on_every_backend(|store| async move {
        let alpha = user(&store, "alpha", false).await;
        let bravo = user(&store, "bravo", false).await;
        assert!(pay(&store, "in_1", alpha.id, 450).await.is_some());
        assert!(
            pay(&store, "in_1", alpha.id, 450).await.is_none(),
            "a replay"
        );
        pay(&store, "in_2", alpha.id, 300).await;
        pay(&store, "in_3", bravo.id, 450).await;
        assert_eq!(store.payout_totals(alpha.id).await.unwrap(), (750, 0));
        assert_eq!(store.payables_of(alpha.id, 10).await.unwrap().len(), 2);

        assert_eq!(
            store.save_payout_account(alpha.id, "acct_a").await.unwrap(),
            "acct_a"
        );
        assert_eq!(
            store
                .update_payout_account("acct_a", true, true, true)
                .await
                .unwrap(),
            Some(alpha.id)
        );
        assert_eq!(
            store
                .update_payout_account("acct_unknown", true, true, true)
                .await
                .unwrap(),
            None
        );
        assert!(store.set_payouts_paused(alpha.id, "").await.unwrap());
        assert!(!store.set_payouts_paused(bravo.id, "x").await.unwrap());

        let pending = store.pending_payouts().await.unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!((pending[0].amount_cents, pending[0].payables), (750, 2));
        let lines = [
            NewPayoutLine {
                streamer_id: alpha.id,
                account_id: "acct_a".into(),
                flags: String::new(),
            },
            NewPayoutLine {
                streamer_id: bravo.id,
                account_id: String::new(),
                flags: "no payout account".into(),
            },
        ];
        let payday = store.create_payday("usd", &lines).await.unwrap().unwrap();
        assert!(
            store.create_payday("usd", &lines).await.unwrap().is_none(),
            "one open payday at a time"
        );
        assert_eq!(store.open_payday().await.unwrap().unwrap().id, payday);
        let lines = store.payday_lines(payday).await.unwrap();
        let alpha_line = lines
            .iter()
            .find(|line| line.streamer_id == alpha.id)
            .unwrap();
        let bravo_line = lines
            .iter()
            .find(|line| line.streamer_id == bravo.id)
            .unwrap();
        assert_eq!((alpha_line.amount_cents, alpha_line.payables), (750, 2));
        assert_eq!(alpha_line.status, "pending");
        assert_eq!(
            (bravo_line.status.as_str(), bravo_line.amount_cents),
            ("held", 450)
        );
        let pending = store.pending_payouts().await.unwrap();
        assert_eq!(pending.len(), 1, "only the held streamer's payables wait");
        assert_eq!(pending[0].streamer_id, bravo.id);

        assert!(
            !store.finish_payday_if_done(payday).await.unwrap(),
            "not approved"
        );
        assert!(store.approve_payday(payday, alpha.id).await.unwrap());
        assert!(!store.approve_payday(payday, alpha.id).await.unwrap());
        assert!(store.start_payout_attempt(alpha_line.id).await.unwrap());
        assert!(!store.start_payout_attempt(alpha_line.id).await.unwrap());
        store
            .payout_failed(alpha_line.id, "declined")
            .await
            .unwrap();
        assert!(!store.finish_payday_if_done(payday).await.unwrap());
        assert_eq!(store.retry_failed_payouts(payday).await.unwrap(), 1);
        assert!(store.start_payout_attempt(alpha_line.id).await.unwrap());
        // The processor's transfer.created arrives before the API's answer is recorded (or
        // instead of it, when the answer was lost): the line is recorded paid once.
        assert!(matches!(
            store.confirm_transfer(alpha_line.id, "tr_1").await.unwrap(),
            TransferConfirmation::Recovered(line) if line.status == "paid"
        ));
        assert!(
            !store.payout_paid(alpha_line.id, "tr_1").await.unwrap(),
            "recorded already"
        );
        assert_eq!(
            store.confirm_transfer(alpha_line.id, "tr_1").await.unwrap(),
            TransferConfirmation::AlreadyPaid
        );
        assert_eq!(
            store
                .confirm_transfer(alpha_line.id, "tr_other")
                .await
                .unwrap(),
            TransferConfirmation::Unknown
        );
        assert_eq!(
            store.confirm_transfer(987_654, "tr_1").await.unwrap(),
            TransferConfirmation::Unknown
        );
        assert!(store.finish_payday_if_done(payday).await.unwrap());
        assert!(store.open_payday().await.unwrap().is_none());
        assert_eq!(store.payout_totals(alpha.id).await.unwrap(), (0, 750));
        let paid = store.payables_of(alpha.id, 10).await.unwrap();
        assert!(paid
            .iter()
            .all(|payable| payable.transfer_id.as_deref() == Some("tr_1")));
        let line = &store.payout_lines_of(alpha.id, 10).await.unwrap()[0];
        assert_eq!((line.status.as_str(), line.attempts), ("paid", 2));
        assert!(store.last_payday_at().await.unwrap().is_some());
        assert_eq!(store.recent_paydays(5).await.unwrap()[0].status, "paid");
        // Reversals and bank payouts are recorded against what they name.
        assert_eq!(
            store.transfer_reversed("tr_1", 300).await.unwrap(),
            Some(alpha.id)
        );
        assert_eq!(store.transfer_reversed("tr_nope", 300).await.unwrap(), None);
        assert_eq!(store.reversed_total(alpha.id).await.unwrap(), 300);
        assert_eq!(
            store
                .record_bank_payout("acct_a", "paid", 450, "", 2_000)
                .await
                .unwrap(),
            Some(alpha.id)
        );
        store
            .record_bank_payout("acct_a", "failed", 100, "closed", 1_000)
            .await
            .unwrap();
        let account = store.payout_account(alpha.id).await.unwrap().unwrap();
        assert_eq!(
            (
                account.bank_payout_status.as_str(),
                account.bank_payout_cents
            ),
            ("paid", 450),
            "an older report changes nothing"
        );
        assert_eq!(
            store
                .record_bank_payout("acct_x", "paid", 1, "", 1)
                .await
                .unwrap(),
            None
        );
        // A new payday may open now, with the held streamer's payables.
        assert!(store.create_payday("usd", &[]).await.unwrap().is_some());
    })
    .await;
}

#[tokio::test]
async fn fees_settle_once_and_resplit_only_payables_no_payday_took() {
    on_every_backend(|store| async move {
        let alpha = user(&store, "alpha", false).await;
        let first = pay(&store, "in_1", alpha.id, 450).await.unwrap();
        let second = pay(&store, "in_2", alpha.id, 450).await.unwrap();
        let due = store.unsettled_fees(i64::MAX, 8, 10).await.unwrap();
        assert_eq!(
            due.iter().map(|fee| fee.payment_id).collect::<Vec<_>>(),
            [first, second]
        );
        // Not settled yet: asked again later, and never past the last check.
        store.fee_check_later(first, 5_000).await.unwrap();
        assert_eq!(store.unsettled_fees(4_999, 8, 10).await.unwrap().len(), 1);
        assert_eq!(store.unsettled_fees(5_000, 8, 10).await.unwrap().len(), 2);
        assert_eq!(store.unsettled_fees(5_000, 1, 10).await.unwrap().len(), 1);

        let mut resplit = payable(alpha.id, 440);
        resplit.fee_cents = 52;
        assert!(store.settle_fee(first, 52, Some(&resplit)).await.unwrap());
        let settled = store.payable_of_payment(first).await.unwrap().unwrap();
        assert_eq!((settled.fee_cents, settled.payout_cents), (52, 440));
        assert!(settled.fee_settled);
        assert_eq!(
            store.unsettled_fees(i64::MAX, 8, 10).await.unwrap().len(),
            1
        );

        // Once a payday has taken a payable, only the payment's fee changes.
        store.save_payout_account(alpha.id, "acct_a").await.unwrap();
        let lines = [NewPayoutLine {
            streamer_id: alpha.id,
            account_id: "acct_a".into(),
            flags: String::new(),
        }];
        store.create_payday("usd", &lines).await.unwrap().unwrap();
        assert!(!store.settle_fee(second, 60, Some(&resplit)).await.unwrap());
        let kept = store.payable_of_payment(second).await.unwrap().unwrap();
        assert_eq!((kept.fee_cents, kept.payout_cents), (45, 450));
        assert!(store
            .unsettled_fees(i64::MAX, 8, 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
