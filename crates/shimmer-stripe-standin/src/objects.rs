//! Stripe's JSON for each object, with every field the client library requires.

use serde_json::{json, Value};

use crate::state::{Account, Customer, Session, Subscription, Transfer};

pub fn customer(id: &str, customer: &Customer) -> Value {
    json!({
        "id": id, "object": "customer", "created": customer.created, "livemode": false,
        "email": customer.email, "metadata": customer.metadata,
    })
}

pub fn session(id: &str, session: &Session, base: &str) -> Value {
    let paid = session.status == "complete";
    json!({
        "id": id, "object": "checkout.session", "created": session.created,
        "expires_at": session.created + 24 * 3600, "livemode": false,
        "mode": session.mode, "status": session.status,
        "payment_status": if paid { "paid" } else { "unpaid" },
        "amount_subtotal": session.amount, "amount_total": session.amount,
        "currency": session.currency, "customer": session.customer,
        "metadata": session.metadata, "subscription": session.subscription,
        "success_url": session.success_url, "cancel_url": session.cancel_url,
        "url": if paid { Value::Null } else { json!(format!("{base}/checkout/{id}")) },
        "automatic_tax": { "enabled": false, "liability": null, "provider": null, "status": null },
        "custom_fields": [],
        "custom_text": {
            "after_submit": null, "shipping_address": null, "submit": null,
            "terms_of_service_acceptance": null
        },
        "payment_method_types": ["card"], "shipping_options": [],
    })
}

pub fn subscription(id: &str, subscription: &Subscription) -> Value {
    json!({
        "id": id, "object": "subscription", "status": subscription.status,
        "cancel_at_period_end": subscription.cancel_at_period_end,
        "currency": subscription.currency, "customer": subscription.customer,
        "metadata": subscription.metadata, "livemode": false,
        "items": {
            "object": "list", "has_more": false, "url": format!("/v1/subscription_items?subscription={id}"),
            "data": [{
                "id": format!("si_{id}"), "object": "subscription_item",
                "current_period_start": subscription.period_start,
                "current_period_end": subscription.period_end,
                "price": {
                    "object": "price", "unit_amount": subscription.amount,
                    "currency": subscription.currency, "recurring": { "interval": "month" }
                }
            }]
        },
    })
}

/// A paid (or failed) invoice of `subscription` for its current period.
pub fn invoice(
    id: &str,
    subscription_id: &str,
    subscription: &Subscription,
    reason: &str,
    paid: bool,
) -> Value {
    json!({
        "id": id, "object": "invoice", "livemode": false,
        "customer": subscription.customer, "currency": subscription.currency,
        "amount_due": subscription.amount,
        "amount_paid": if paid { subscription.amount } else { 0 },
        "billing_reason": reason, "status": if paid { "paid" } else { "open" },
        "period_start": subscription.period_start, "period_end": subscription.period_end,
        "parent": {
            "type": "subscription_details",
            "subscription_details": { "subscription": subscription_id, "metadata": subscription.metadata }
        },
        "lines": {
            "object": "list", "has_more": false, "url": format!("/v1/invoices/{id}/lines"),
            "data": [{
                "object": "line_item", "amount": subscription.amount,
                "period": { "start": subscription.period_start, "end": subscription.period_end }
            }]
        },
    })
}

pub fn account(id: &str, account: &Account) -> Value {
    json!({
        "id": id, "object": "account", "type": "express", "email": account.email,
        "metadata": account.metadata, "created": account.created,
        "charges_enabled": account.onboarded, "payouts_enabled": account.onboarded,
        "details_submitted": account.onboarded,
        "capabilities": { "transfers": if account.onboarded { "active" } else { "inactive" } },
    })
}

pub fn transfer(id: &str, transfer: &Transfer) -> Value {
    json!({
        "id": id, "object": "transfer", "amount": transfer.amount, "amount_reversed": 0,
        "created": transfer.created, "currency": transfer.currency,
        "destination": transfer.destination, "livemode": false, "metadata": transfer.metadata,
        "reversed": false,
        "reversals": {
            "object": "list", "data": [], "has_more": false,
            "url": format!("/v1/transfers/{id}/reversals")
        },
    })
}

/// Stripe's error shape.
pub fn error(kind: &str, message: &str, param: Option<&str>) -> Value {
    let mut error = json!({ "type": kind, "message": message });
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    json!({ "error": error })
}
