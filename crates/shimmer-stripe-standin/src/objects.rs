//! Stripe's JSON for each object, with every field the client library requires.

use serde_json::{json, Value};

use crate::state::{Account, Charge, Customer, Objects, Session, Subscription, Transfer};

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
        "payment_intent": session.payment_intent,
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
        "id": id, "object": "transfer", "amount": transfer.amount,
        "amount_reversed": transfer.amount_reversed,
        "created": transfer.created, "currency": transfer.currency,
        "destination": transfer.destination, "livemode": false, "metadata": transfer.metadata,
        "reversed": transfer.amount_reversed >= transfer.amount,
        "reversals": {
            "object": "list", "data": [], "has_more": false,
            "url": format!("/v1/transfers/{id}/reversals")
        },
    })
}

/// A succeeded payment intent; `number` is its id without the `pi_`.
pub fn payment_intent(number: &str, charge: &Charge) -> Value {
    json!({
        "id": format!("pi_{number}"), "object": "payment_intent", "amount": charge.amount,
        "amount_capturable": 0, "amount_received": charge.amount,
        "capture_method": "automatic", "confirmation_method": "automatic",
        "created": charge.created, "currency": charge.currency, "livemode": false,
        "metadata": {}, "payment_method_types": ["card"], "status": "succeeded",
        "latest_charge": format!("ch_{number}"),
    })
}

pub fn charge(number: &str, charge: &Charge) -> Value {
    json!({
        "id": format!("ch_{number}"), "object": "charge", "amount": charge.amount,
        "amount_captured": charge.amount, "amount_refunded": 0,
        "billing_details": { "address": null, "email": null, "name": null, "phone": null },
        "captured": true, "created": charge.created, "currency": charge.currency,
        "disputed": false, "livemode": false, "metadata": {}, "paid": true, "refunded": false,
        "status": "succeeded", "payment_intent": format!("pi_{number}"),
        "balance_transaction": format!("txn_{number}"),
    })
}

pub fn balance_transaction(number: &str, charge: &Charge) -> Value {
    json!({
        "id": format!("txn_{number}"), "object": "balance_transaction",
        "amount": charge.amount, "available_on": charge.created + 2 * 24 * 3600,
        "balance_type": "payments", "created": charge.created, "currency": charge.currency,
        "fee": charge.fee, "net": charge.amount - charge.fee,
        "fee_details": [{
            "amount": charge.fee, "currency": charge.currency,
            "description": "Stripe processing fees", "type": "stripe_fee"
        }],
        "reporting_category": "charge", "status": "pending", "type": "charge",
        "source": format!("ch_{number}"),
    })
}

/// The payment of `invoice` by the payment intent `intent`.
pub fn invoice_payment(invoice: &str, intent: &str, charge: &Charge) -> Value {
    json!({
        "id": format!("inpay_{}", intent.trim_start_matches("pi_")), "object": "invoice_payment",
        "amount_requested": charge.amount, "amount_paid": charge.amount,
        "created": charge.created, "currency": charge.currency, "invoice": invoice,
        "is_default": true, "livemode": false, "status": "paid",
        "payment": { "type": "payment_intent", "payment_intent": intent },
        "status_transitions": { "canceled_at": null, "paid_at": charge.created },
    })
}

/// The object an id names, among the payment objects (`pi_`, `ch_`, `txn_`).
fn resolve(objects: &Objects, id: &str) -> Option<Value> {
    let (prefix, number) = id.split_once('_')?;
    let charge = objects.charges.get(number)?;
    match prefix {
        "pi" => Some(payment_intent(number, charge)),
        "ch" => Some(self::charge(number, charge)),
        "txn" => Some(balance_transaction(number, charge)),
        _ => None,
    }
}

/// Replaces the ids along a dotted `expand` path with their objects, as Stripe does; a path
/// through a list (`data.`) expands it in every element.
pub fn expand(objects: &Objects, value: &mut Value, path: &str) {
    let (field, rest) = match path.split_once('.') {
        Some((field, rest)) => (field, Some(rest)),
        None => (path, None),
    };
    if field == "data" {
        if let (Some(items), Some(rest)) = (value["data"].as_array_mut(), rest) {
            for item in items {
                expand(objects, item, rest);
            }
        }
        return;
    }
    let Some(slot) = value.get_mut(field) else {
        return;
    };
    if let Some(object) = slot.as_str().and_then(|id| resolve(objects, id)) {
        *slot = object;
    }
    if let Some(rest) = rest {
        expand(objects, slot, rest);
    }
}

/// Stripe's error shape.
pub fn error(kind: &str, message: &str, param: Option<&str>) -> Value {
    let mut error = json!({ "type": kind, "message": message });
    if let Some(param) = param {
        error["param"] = json!(param);
    }
    json!({ "error": error })
}
