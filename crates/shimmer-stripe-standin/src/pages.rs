//! The hosted pages a person visits: checkout (pay with a test card that succeeds, or one
//! that is declined), the customer portal (cancel at the period's end, or resume until then)
//! and Connect onboarding (finish it). Each step sends the events Stripe would.

use std::collections::HashMap;

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::objects;
use crate::state::{now, Subscription, PERIOD_SECS};
use crate::Standin;

/// The test card that is always declined, as in Stripe's test mode.
const DECLINED_CARD: &str = "4000000000000002";

pub(crate) fn routes() -> Router<Standin> {
    Router::new()
        .route("/checkout/{id}", get(checkout_page))
        .route("/checkout/{id}/pay", post(pay))
        .route("/portal/{customer}", get(portal_page))
        .route(
            "/portal/{customer}/{subscription}/{action}",
            post(portal_action),
        )
        .route("/onboarding/{account}", get(onboarding_page))
        .route("/onboarding/{account}/finish", post(finish_onboarding))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{title} · Stripe stand-in</title></head>\
         <body><p><em>Stripe stand-in: no real money moves.</em></p><h1>{title}</h1>{body}</body></html>",
        title = escape(title)
    ))
}

fn money(cents: i64, currency: &str) -> String {
    format!(
        "{}.{:02} {}",
        cents / 100,
        cents % 100,
        currency.to_uppercase()
    )
}

async fn checkout_page(State(standin): State<Standin>, Path(id): Path<String>) -> Response {
    let objects = standin.objects.lock();
    let Some(session) = objects.sessions.get(&id) else {
        return (StatusCode::NOT_FOUND, page("No such checkout", "")).into_response();
    };
    if session.status != "open" {
        return page("This checkout is finished", "").into_response();
    }
    let per = if session.recurring { " per month" } else { "" };
    page(
        "Checkout",
        &format!(
            "<p id=item>{item}</p><p id=amount>{amount}{per}</p>\
             <form method=post action=/checkout/{id}/pay>\
             <label>Card number <input name=card value=4242424242424242></label>\
             <button type=submit>Pay</button></form>\
             <p><a href=\"{cancel}\">Cancel and go back</a></p>",
            item = escape(&session.item_name),
            amount = money(session.amount, &session.currency),
            cancel = escape(&session.cancel_url),
        ),
    )
    .into_response()
}

async fn pay(
    State(standin): State<Standin>,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut objects = standin.objects.lock();
    let Some(mut session) = objects.sessions.get(&id).cloned() else {
        return (StatusCode::NOT_FOUND, page("No such checkout", "")).into_response();
    };
    if session.status != "open" {
        return page("This checkout is finished", "").into_response();
    }
    if form
        .get("card")
        .map(|card| card.replace(' ', ""))
        .as_deref()
        == Some(DECLINED_CARD)
    {
        return (
            StatusCode::PAYMENT_REQUIRED,
            page(
                "Checkout",
                &format!(
                    "<p role=alert>Your card was declined.</p><p><a href=/checkout/{id}>Try another card</a></p>"
                ),
            ),
        )
            .into_response();
    }
    session.status = "complete".into();
    if session.mode == "subscription" {
        let subscription_id = objects.id("sub");
        let start = now();
        let subscription = Subscription {
            customer: session.customer.clone(),
            amount: session.amount,
            currency: session.currency.clone(),
            metadata: session.object_metadata.clone(),
            status: "active".into(),
            cancel_at_period_end: false,
            period_start: start,
            period_end: start + PERIOD_SECS,
        };
        session.subscription = Some(subscription_id.clone());
        let invoice_id = objects.id("in");
        objects.pay_invoice(&invoice_id, session.amount, &session.currency);
        let invoice = objects::invoice(
            &invoice_id,
            &subscription_id,
            &subscription,
            "subscription_create",
            true,
        );
        let created = objects::subscription(&subscription_id, &subscription);
        objects
            .subscriptions
            .insert(subscription_id.clone(), subscription);
        objects.sessions.insert(id.clone(), session.clone());
        let completed = objects::session(&id, &session, &standin.base);
        standin
            .deliveries
            .emit(&mut objects, "customer.subscription.created", created);
        standin
            .deliveries
            .emit(&mut objects, "checkout.session.completed", completed);
        standin
            .deliveries
            .emit(&mut objects, "invoice.paid", invoice);
    } else {
        session.payment_intent = Some(objects.charge(session.amount, &session.currency));
        objects.sessions.insert(id.clone(), session.clone());
        let completed = objects::session(&id, &session, &standin.base);
        standin
            .deliveries
            .emit(&mut objects, "checkout.session.completed", completed);
    }
    Redirect::to(&session.success_url).into_response()
}

async fn portal_page(
    State(standin): State<Standin>,
    Path(customer): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let objects = standin.objects.lock();
    if !objects.customers.contains_key(&customer) {
        return (StatusCode::NOT_FOUND, page("No such customer", "")).into_response();
    }
    let return_url = query.get("return_url").cloned().unwrap_or_default();
    let mut rows = String::new();
    let mut subscriptions: Vec<_> = objects
        .subscriptions
        .iter()
        .filter(|(_, sub)| sub.customer == customer && sub.status != "canceled")
        .collect();
    subscriptions.sort_by(|a, b| a.0.cmp(b.0));
    for (id, subscription) in subscriptions {
        let (label, action) = if subscription.cancel_at_period_end {
            ("Renew subscription", "resume")
        } else {
            ("Cancel subscription", "cancel")
        };
        rows.push_str(&format!(
            "<li>{amount} per month{ending} \
             <form method=post action=\"/portal/{customer}/{id}/{action}?return_url={back}\">\
             <button type=submit>{label}</button></form></li>",
            amount = money(subscription.amount, &subscription.currency),
            ending = if subscription.cancel_at_period_end {
                " (ends at the period's end)"
            } else {
                ""
            },
            back = url::form_urlencoded::byte_serialize(return_url.as_bytes()).collect::<String>(),
        ));
    }
    page(
        "Billing",
        &format!(
            "<ul>{rows}</ul><p><a href=\"{back}\">Return</a></p>",
            back = escape(&return_url)
        ),
    )
    .into_response()
}

async fn portal_action(
    State(standin): State<Standin>,
    Path((customer, subscription_id, action)): Path<(String, String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut objects = standin.objects.lock();
    let Some(mut subscription) = objects
        .subscriptions
        .get(&subscription_id)
        .filter(|sub| sub.customer == customer)
        .cloned()
    else {
        return (StatusCode::NOT_FOUND, page("No such subscription", "")).into_response();
    };
    subscription.cancel_at_period_end = match action.as_str() {
        "cancel" => true,
        "resume" => false,
        _ => return (StatusCode::NOT_FOUND, page("No such action", "")).into_response(),
    };
    let json = objects::subscription(&subscription_id, &subscription);
    objects
        .subscriptions
        .insert(subscription_id.clone(), subscription);
    standin
        .deliveries
        .emit(&mut objects, "customer.subscription.updated", json);
    let back = query.get("return_url").cloned().unwrap_or_default();
    Redirect::to(&format!(
        "/portal/{customer}?return_url={}",
        url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
    ))
    .into_response()
}

async fn onboarding_page(
    State(standin): State<Standin>,
    Path(account): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if !standin.objects.lock().accounts.contains_key(&account) {
        return (StatusCode::NOT_FOUND, page("No such account", "")).into_response();
    }
    let back = query.get("return_url").cloned().unwrap_or_default();
    page(
        "Set up payouts",
        &format!(
            "<form method=post action=\"/onboarding/{account}/finish?return_url={back}\">\
             <p>Bank account: STRIPE TEST BANK ••••6789</p>\
             <button type=submit>Finish onboarding</button></form>",
            back = url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        ),
    )
    .into_response()
}

async fn finish_onboarding(
    State(standin): State<Standin>,
    Path(account_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut objects = standin.objects.lock();
    let Some(account) = objects.accounts.get_mut(&account_id) else {
        return (StatusCode::NOT_FOUND, page("No such account", "")).into_response();
    };
    account.onboarded = true;
    let json = objects::account(&account_id, account);
    standin
        .deliveries
        .emit(&mut objects, "account.updated", json);
    Redirect::to(query.get("return_url").map_or("/", String::as_str)).into_response()
}
