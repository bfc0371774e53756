//! Reads a Stripe event into the platform's [`PaymentFact`]. Only the fields Shimmer uses are
//! read, each where current API versions put it and where older ones did (a subscription's
//! period end on its items or on itself; an invoice's subscription under `parent` or at the
//! top), so events rendered in another API version than the client library's still apply.

use std::collections::HashMap;

use serde_json::Value;
use shimmer_platform::payments::{PaymentFact, SubscriptionState};

/// Why an event's payload could not be read (retrying will not help).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {event_type} event lacks {missing}")]
pub struct FactError {
    pub event_type: String,
    pub missing: &'static str,
}

/// The fact an event reports; None for events Shimmer does not act on.
pub fn fact_of(event_type: &str, event: &Value) -> Result<Option<PaymentFact>, FactError> {
    let object = &event["data"]["object"];
    let missing = |missing| FactError {
        event_type: event_type.to_owned(),
        missing,
    };
    let text = |value: &Value, what| value.as_str().map(str::to_owned).ok_or(missing(what));
    Ok(Some(match event_type {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            if object["mode"].as_str() != Some("payment")
                || object["payment_status"].as_str() != Some("paid")
            {
                return Ok(None);
            }
            PaymentFact::CheckoutPaid {
                checkout_id: text(&object["id"], "data.object.id")?,
                amount_cents: object["amount_total"]
                    .as_i64()
                    .ok_or(missing("data.object.amount_total"))?,
                currency: text(&object["currency"], "data.object.currency")?,
                metadata: metadata(&object["metadata"]),
            }
        }
        "customer.subscription.created"
        | "customer.subscription.updated"
        | "customer.subscription.deleted" => {
            let Some(state) = subscription_state(event_type, object) else {
                return Ok(None);
            };
            let item = &object["items"]["data"][0];
            PaymentFact::SubscriptionChanged {
                subscription_id: text(&object["id"], "data.object.id")?,
                state,
                amount_cents: item["price"]["unit_amount"]
                    .as_i64()
                    .or(item["plan"]["amount"].as_i64())
                    .ok_or(missing("the price of the subscription's item"))?,
                currency: text(&object["currency"], "data.object.currency")?,
                current_period_end_ms: item["current_period_end"]
                    .as_i64()
                    .or(object["current_period_end"].as_i64())
                    .ok_or(missing("the subscription's current_period_end"))?
                    * 1000,
                metadata: metadata(&object["metadata"]),
            }
        }
        "invoice.paid" => {
            let Some((subscription_id, subscription_metadata)) = invoice_subscription(object)
            else {
                return Ok(None);
            };
            let period_end = object["lines"]["data"][0]["period"]["end"]
                .as_i64()
                .or(object["period_end"].as_i64())
                .ok_or(missing("the invoice's period end"))?;
            PaymentFact::InvoicePaid {
                invoice_id: text(&object["id"], "data.object.id")?,
                subscription_id,
                amount_cents: object["amount_paid"]
                    .as_i64()
                    .ok_or(missing("data.object.amount_paid"))?,
                currency: text(&object["currency"], "data.object.currency")?,
                period_end_ms: period_end * 1000,
                first: object["billing_reason"].as_str() == Some("subscription_create"),
                metadata: subscription_metadata,
            }
        }
        // A renewal invoice is charged about an hour after it is created; Shimmer acts when
        // it is paid or fails, so its creation changes nothing.
        "invoice.created" => return Ok(None),
        "invoice.payment_failed" => {
            let Some((subscription_id, _)) = invoice_subscription(object) else {
                return Ok(None);
            };
            PaymentFact::InvoiceFailed { subscription_id }
        }
        "account.updated" => PaymentFact::PayoutAccountChanged {
            account_id: text(&object["id"], "data.object.id")?,
            charges_enabled: object["charges_enabled"].as_bool().unwrap_or(false),
            payouts_enabled: object["payouts_enabled"].as_bool().unwrap_or(false),
            details_submitted: object["details_submitted"].as_bool().unwrap_or(false),
        },
        "transfer.created" => PaymentFact::TransferMade {
            transfer_id: text(&object["id"], "data.object.id")?,
            line_id: object["metadata"]["shimmer_payout_line"]
                .as_str()
                .and_then(|line| line.parse().ok()),
        },
        "transfer.reversed" => PaymentFact::TransferReversed {
            transfer_id: text(&object["id"], "data.object.id")?,
            amount_reversed_cents: object["amount_reversed"]
                .as_i64()
                .ok_or(missing("data.object.amount_reversed"))?,
        },
        "payout.paid" | "payout.failed" => {
            let paid = event_type == "payout.paid";
            PaymentFact::BankPayout {
                // A connected account's event names the account at the top.
                account_id: text(&event["account"], "account")?,
                paid,
                amount_cents: object["amount"]
                    .as_i64()
                    .ok_or(missing("data.object.amount"))?,
                currency: text(&object["currency"], "data.object.currency")?,
                at_ms: object["arrival_date"]
                    .as_i64()
                    .ok_or(missing("data.object.arrival_date"))?
                    * 1000,
                failure: object["failure_message"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            }
        }
        _ => return Ok(None),
    }))
}

/// The state Shimmer keeps for a subscription event; None while Stripe still waits for the
/// first payment (`incomplete`), which changes nothing yet.
fn subscription_state(event_type: &str, object: &Value) -> Option<SubscriptionState> {
    if event_type == "customer.subscription.deleted" {
        return Some(SubscriptionState::Ended);
    }
    let canceling = object["cancel_at_period_end"].as_bool().unwrap_or(false)
        || object["cancel_at"].as_i64().is_some();
    match object["status"].as_str()? {
        "active" | "trialing" if canceling => Some(SubscriptionState::Canceling),
        "active" | "trialing" => Some(SubscriptionState::Active),
        "past_due" => Some(SubscriptionState::PastDue),
        "canceled" | "unpaid" | "incomplete_expired" | "paused" => Some(SubscriptionState::Ended),
        _ => None,
    }
}

/// An invoice's subscription id and that subscription's metadata: under
/// `parent.subscription_details` in current API versions, at the top level in older ones.
fn invoice_subscription(invoice: &Value) -> Option<(String, HashMap<String, String>)> {
    let details = &invoice["parent"]["subscription_details"];
    if let Some(id) = details["subscription"].as_str() {
        return Some((id.to_owned(), metadata(&details["metadata"])));
    }
    let id = invoice["subscription"].as_str()?;
    Some((
        id.to_owned(),
        metadata(&invoice["subscription_details"]["metadata"]),
    ))
}

fn metadata(value: &Value) -> HashMap<String, String> {
    value
        .as_object()
        .map(|map| {
            map.iter()
                .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(object: Value) -> Value {
        json!({ "data": { "object": object } })
    }

    #[test]
    fn a_paid_donation_checkout_is_read() {
        let fact = fact_of(
            "checkout.session.completed",
            &event(json!({
                "id": "cs_1", "mode": "payment", "payment_status": "paid",
                "amount_total": 1000, "currency": "usd",
                "metadata": { "shimmer_kind": "donation", "shimmer_user_id": "3" }
            })),
        )
        .unwrap()
        .unwrap();
        let PaymentFact::CheckoutPaid {
            amount_cents,
            metadata,
            ..
        } = fact
        else {
            panic!("{fact:?}");
        };
        assert_eq!(amount_cents, 1000);
        assert_eq!(metadata["shimmer_user_id"], "3");
    }

    #[test]
    fn unpaid_and_subscription_checkouts_change_nothing() {
        for object in [
            json!({ "id": "cs_1", "mode": "payment", "payment_status": "unpaid" }),
            json!({ "id": "cs_1", "mode": "subscription", "payment_status": "paid" }),
        ] {
            assert_eq!(
                fact_of("checkout.session.completed", &event(object)),
                Ok(None)
            );
        }
    }

    #[test]
    fn subscription_states_follow_stripe_status_and_cancellation() {
        let subscription = |status: &str, cancel: bool| {
            event(json!({
                "id": "sub_1", "status": status, "cancel_at_period_end": cancel,
                "currency": "usd", "metadata": {},
                "items": { "data": [ { "price": { "unit_amount": 500 }, "current_period_end": 1_700_000_000 } ] }
            }))
        };
        let state_of = |event_type: &str, object: &Value| match fact_of(event_type, object) {
            Ok(Some(PaymentFact::SubscriptionChanged {
                state,
                current_period_end_ms,
                ..
            })) => {
                assert_eq!(current_period_end_ms, 1_700_000_000_000);
                Some(state)
            }
            Ok(None) => None,
            other => panic!("{other:?}"),
        };
        let updated = "customer.subscription.updated";
        assert_eq!(
            state_of(updated, &subscription("active", false)),
            Some(SubscriptionState::Active)
        );
        assert_eq!(
            state_of(updated, &subscription("active", true)),
            Some(SubscriptionState::Canceling)
        );
        assert_eq!(
            state_of(updated, &subscription("past_due", false)),
            Some(SubscriptionState::PastDue)
        );
        assert_eq!(
            state_of(updated, &subscription("unpaid", false)),
            Some(SubscriptionState::Ended)
        );
        assert_eq!(state_of(updated, &subscription("incomplete", false)), None);
        assert_eq!(
            state_of(
                "customer.subscription.deleted",
                &subscription("active", false)
            ),
            Some(SubscriptionState::Ended)
        );
    }

    #[test]
    fn invoices_are_read_in_current_and_older_shapes() {
        let current = event(json!({
            "id": "in_1", "amount_paid": 500, "currency": "usd",
            "billing_reason": "subscription_create",
            "parent": { "subscription_details": { "subscription": "sub_1", "metadata": { "shimmer_user_id": "4" } } },
            "lines": { "data": [ { "period": { "end": 1_800_000_000 } } ] }
        }));
        let older = event(json!({
            "id": "in_2", "amount_paid": 500, "currency": "usd",
            "billing_reason": "subscription_cycle", "subscription": "sub_1",
            "subscription_details": { "metadata": { "shimmer_user_id": "4" } },
            "period_end": 1_800_000_000
        }));
        for (object, want_first) in [(current, true), (older, false)] {
            let Ok(Some(PaymentFact::InvoicePaid {
                subscription_id,
                first,
                metadata,
                period_end_ms,
                ..
            })) = fact_of("invoice.paid", &object)
            else {
                panic!("{object}");
            };
            assert_eq!(subscription_id, "sub_1");
            assert_eq!(first, want_first);
            assert_eq!(metadata["shimmer_user_id"], "4");
            assert_eq!(period_end_ms, 1_800_000_000_000);
        }
    }

    #[test]
    fn transfers_and_bank_payouts_are_read() {
        let created = event(json!({
            "id": "tr_1", "amount": 900, "metadata": { "shimmer_payout_line": "12" }
        }));
        assert_eq!(
            fact_of("transfer.created", &created),
            Ok(Some(PaymentFact::TransferMade {
                transfer_id: "tr_1".into(),
                line_id: Some(12)
            }))
        );
        assert_eq!(
            fact_of(
                "transfer.reversed",
                &event(json!({ "id": "tr_1", "amount_reversed": 300 }))
            ),
            Ok(Some(PaymentFact::TransferReversed {
                transfer_id: "tr_1".into(),
                amount_reversed_cents: 300
            }))
        );
        let mut failed = event(json!({
            "id": "po_1", "amount": 900, "currency": "usd", "arrival_date": 1_800_000_000,
            "failure_message": "The bank account has been closed."
        }));
        failed["account"] = json!("acct_1");
        assert_eq!(
            fact_of("payout.failed", &failed),
            Ok(Some(PaymentFact::BankPayout {
                account_id: "acct_1".into(),
                paid: false,
                amount_cents: 900,
                currency: "usd".into(),
                at_ms: 1_800_000_000_000,
                failure: "The bank account has been closed.".into(),
            }))
        );
        let Ok(Some(PaymentFact::BankPayout { paid, .. })) = fact_of("payout.paid", &failed) else {
            panic!("a paid payout");
        };
        assert!(paid);
    }

    #[test]
    fn missing_fields_are_named_and_other_events_ignored() {
        let error = fact_of(
            "checkout.session.completed",
            &event(json!({ "id": "cs_1", "mode": "payment", "payment_status": "paid" })),
        )
        .unwrap_err();
        assert_eq!(error.missing, "data.object.amount_total");
        assert_eq!(fact_of("invoice.created", &event(json!({}))), Ok(None));
        assert_eq!(fact_of("charge.refunded", &event(json!({}))), Ok(None));
        assert_eq!(
            fact_of("payout.paid", &event(json!({ "amount": 5 })))
                .unwrap_err()
                .missing,
            "account"
        );
        assert_eq!(
            fact_of("invoice.paid", &event(json!({ "id": "in_1" }))),
            Ok(None),
            "an invoice of no subscription"
        );
    }
}
