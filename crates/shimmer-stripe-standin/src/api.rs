//! The Stripe API endpoints Shimmer calls: customers, checkout sessions, billing portal
//! sessions, Connect accounts and account links, transfers, and the payment intents and
//! invoice payments (with `expand[]`) that lead to a payment's fee. Each checks the secret key,
//! validates what Stripe validates (answering with Stripe's error shape and status) and
//! honours `Idempotency-Key` by replaying the first answer.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::form::Form;
use crate::objects;
use crate::state::{now, Account, Customer, Session, Transfer};
use crate::Standin;

pub(crate) fn routes() -> Router<Standin> {
    Router::new()
        .route("/v1/customers", post(create_customer))
        .route("/v1/checkout/sessions", post(create_session))
        .route("/v1/checkout/sessions/{id}", get(retrieve_session))
        .route("/v1/billing_portal/sessions", post(create_portal))
        .route("/v1/accounts", post(create_account))
        .route("/v1/accounts/{id}", get(retrieve_account))
        .route("/v1/account_links", post(create_account_link))
        .route("/v1/transfers", post(create_transfer))
        .route("/v1/payment_intents/{id}", get(retrieve_payment_intent))
        .route("/v1/invoice_payments", get(list_invoice_payments))
}

/// The `expand[]` paths of a query string (`expand[0]=a.b` or `expand[]=a.b`).
fn expansions(query: Option<&str>) -> Vec<String> {
    Form::parse(query.unwrap_or_default().as_bytes()).list("expand")
}

type ApiResult = Result<Value, ApiError>;

/// An answer in Stripe's error shape.
struct ApiError {
    status: StatusCode,
    body: Value,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

fn stripe_error(status: StatusCode, kind: &str, message: &str, param: Option<&str>) -> ApiError {
    ApiError {
        status,
        body: objects::error(kind, message, param),
    }
}

fn invalid(message: &str, param: &str) -> ApiError {
    stripe_error(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        message,
        Some(param),
    )
}

fn missing(param: &str) -> ApiError {
    invalid(&format!("Missing required param: {param}."), param)
}

fn no_such(kind: &str, id: &str, param: &str) -> ApiError {
    invalid(&format!("No such {kind}: '{id}'"), param)
}

/// Runs `create` once per idempotency key, after checking the secret key.
fn api(standin: &Standin, headers: &HeaderMap, create: impl FnOnce() -> ApiResult) -> Response {
    let bearer = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    if bearer != Some(standin.config.api_key.as_str()) {
        return stripe_error(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            "Invalid API Key provided.",
            None,
        )
        .into_response();
    }
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    if let Some(answer) = key
        .as_ref()
        .and_then(|key| standin.objects.lock().idempotent.get(key).cloned())
    {
        return Json(answer).into_response();
    }
    match create() {
        Ok(answer) => {
            if let Some(key) = key {
                standin
                    .objects
                    .lock()
                    .idempotent
                    .insert(key, answer.clone());
            }
            Json(answer).into_response()
        }
        Err(error) => error.into_response(),
    }
}

async fn create_customer(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        let customer = Customer {
            email: form.get("email").unwrap_or_default().to_owned(),
            metadata: form.map("metadata"),
            created: now(),
        };
        let mut objects = standin.objects.lock();
        let id = objects.id("cus");
        let json = objects::customer(&id, &customer);
        objects.customers.insert(id, customer);
        Ok(json)
    })
}

async fn create_session(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        let mode = form.get("mode").ok_or_else(|| missing("mode"))?;
        if mode != "payment" && mode != "subscription" {
            return Err(invalid(
                &format!("Invalid mode: must be one of payment, setup or subscription (the stand-in does payment and subscription), not {mode}"),
                "mode",
            ));
        }
        let success_url = form
            .get("success_url")
            .ok_or_else(|| missing("success_url"))?;
        let item = "line_items[0][price_data]";
        let amount: i64 = form
            .get(&format!("{item}[unit_amount]"))
            .ok_or_else(|| missing("line_items[0][price_data][unit_amount]"))?
            .parse()
            .map_err(|_| invalid("Invalid integer", "line_items[0][price_data][unit_amount]"))?;
        if amount < 50 {
            return Err(invalid(
                "The Checkout Session's total amount due must add up to at least $0.50 usd",
                "line_items[0][price_data][unit_amount]",
            ));
        }
        let recurring = form.get(&format!("{item}[recurring][interval]")).is_some();
        if (mode == "subscription") != recurring {
            return Err(invalid(
                "A subscription checkout needs a recurring price, and a payment checkout a one-time one.",
                "line_items[0][price_data][recurring]",
            ));
        }
        let customer = form.get("customer").ok_or_else(|| missing("customer"))?;
        let mut objects = standin.objects.lock();
        if !objects.customers.contains_key(customer) {
            return Err(no_such("customer", customer, "customer"));
        }
        let object_metadata = if mode == "subscription" {
            form.map("subscription_data[metadata]")
        } else {
            form.map("payment_intent_data[metadata]")
        };
        let session = Session {
            mode: mode.to_owned(),
            customer: customer.to_owned(),
            item_name: form
                .get(&format!("{item}[product_data][name]"))
                .unwrap_or("Item")
                .to_owned(),
            amount,
            currency: form
                .get(&format!("{item}[currency]"))
                .unwrap_or("usd")
                .to_owned(),
            recurring,
            metadata: form.map("metadata"),
            object_metadata,
            success_url: success_url.to_owned(),
            cancel_url: form.get("cancel_url").unwrap_or(success_url).to_owned(),
            status: "open".into(),
            subscription: None,
            payment_intent: None,
            created: now(),
        };
        let id = objects.id("cs");
        let json = objects::session(&id, &session, &standin.base);
        objects.sessions.insert(id, session);
        Ok(json)
    })
}

async fn retrieve_session(
    State(standin): State<Standin>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    api(&standin, &headers, || {
        let objects = standin.objects.lock();
        let session = objects
            .sessions
            .get(&id)
            .ok_or_else(|| no_such("checkout.session", &id, "id"))?;
        let mut json = objects::session(&id, session, &standin.base);
        for path in expansions(query.as_deref()) {
            objects::expand(&objects, &mut json, &path);
        }
        Ok(json)
    })
}

async fn retrieve_payment_intent(
    State(standin): State<Standin>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    api(&standin, &headers, || {
        let objects = standin.objects.lock();
        let number = id.strip_prefix("pi_").unwrap_or_default();
        let charge = objects
            .charges
            .get(number)
            .ok_or_else(|| no_such("payment_intent", &id, "intent"))?;
        let mut json = objects::payment_intent(number, charge);
        for path in expansions(query.as_deref()) {
            objects::expand(&objects, &mut json, &path);
        }
        Ok(json)
    })
}

/// `GET /v1/invoice_payments?invoice=in_...`: the payments of one invoice.
async fn list_invoice_payments(
    State(standin): State<Standin>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let form = Form::parse(query.as_deref().unwrap_or_default().as_bytes());
    api(&standin, &headers, || {
        let objects = standin.objects.lock();
        let invoice = form.get("invoice").ok_or_else(|| missing("invoice"))?;
        let payments: Vec<Value> = objects
            .invoice_payments
            .get(invoice)
            .and_then(|intent| {
                let charge = objects.charges.get(intent.trim_start_matches("pi_"))?;
                Some(objects::invoice_payment(invoice, intent, charge))
            })
            .into_iter()
            .collect();
        let mut json = serde_json::json!({
            "object": "list", "data": payments, "has_more": false,
            "url": "/v1/invoice_payments",
        });
        for path in form.list("expand") {
            objects::expand(&objects, &mut json, &path);
        }
        Ok(json)
    })
}

async fn create_portal(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        let customer = form.get("customer").ok_or_else(|| missing("customer"))?;
        let mut objects = standin.objects.lock();
        if !objects.customers.contains_key(customer) {
            return Err(no_such("customer", customer, "customer"));
        }
        let id = objects.id("bps");
        let return_url = form.get("return_url").unwrap_or("/");
        let url = format!(
            "{}/portal/{customer}?return_url={}",
            standin.base,
            url::form_urlencoded::byte_serialize(return_url.as_bytes()).collect::<String>()
        );
        Ok(serde_json::json!({
            "id": id, "object": "billing_portal.session", "configuration": "bpc_standin",
            "created": now(), "customer": customer, "livemode": false,
            "return_url": return_url, "url": url,
        }))
    })
}

async fn create_account(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        if form.get("type").is_some_and(|kind| kind != "express") {
            return Err(invalid("The stand-in makes Express accounts only.", "type"));
        }
        let account = Account {
            email: form.get("email").unwrap_or_default().to_owned(),
            metadata: form.map("metadata"),
            onboarded: false,
            created: now(),
        };
        let mut objects = standin.objects.lock();
        let id = objects.id("acct");
        let json = objects::account(&id, &account);
        objects.accounts.insert(id, account);
        Ok(json)
    })
}

async fn retrieve_account(
    State(standin): State<Standin>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    api(&standin, &headers, || {
        let objects = standin.objects.lock();
        let account = objects
            .accounts
            .get(&id)
            .ok_or_else(|| no_such("account", &id, "account"))?;
        Ok(objects::account(&id, account))
    })
}

async fn create_account_link(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        let account = form.get("account").ok_or_else(|| missing("account"))?;
        let return_url = form
            .get("return_url")
            .ok_or_else(|| missing("return_url"))?;
        if !standin.objects.lock().accounts.contains_key(account) {
            return Err(no_such("account", account, "account"));
        }
        let created = now();
        Ok(serde_json::json!({
            "object": "account_link", "created": created, "expires_at": created + 300,
            "url": format!(
                "{}/onboarding/{account}?return_url={}",
                standin.base,
                url::form_urlencoded::byte_serialize(return_url.as_bytes()).collect::<String>()
            ),
        }))
    })
}

async fn create_transfer(
    State(standin): State<Standin>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = Form::parse(&body);
    api(&standin, &headers, || {
        let amount: i64 = form
            .get("amount")
            .ok_or_else(|| missing("amount"))?
            .parse()
            .map_err(|_| invalid("Invalid integer", "amount"))?;
        if amount <= 0 {
            return Err(invalid("Amount must be at least 1 cent", "amount"));
        }
        let destination = form
            .get("destination")
            .ok_or_else(|| missing("destination"))?;
        let mut objects = standin.objects.lock();
        match objects.accounts.get(destination) {
            None => return Err(no_such("account", destination, "destination")),
            Some(account) if !account.onboarded => {
                return Err(invalid(
                    "Your destination account needs to have at least one of the following capabilities enabled: transfers",
                    "destination",
                ))
            }
            Some(_) => {}
        }
        let transfer = Transfer {
            amount,
            amount_reversed: 0,
            currency: form.get("currency").unwrap_or("usd").to_owned(),
            destination: destination.to_owned(),
            metadata: form.map("metadata"),
            created: now(),
        };
        let id = objects.id("tr");
        let json = objects::transfer(&id, &transfer);
        objects.transfers.insert(id, transfer);
        standin
            .deliveries
            .emit(&mut objects, "transfer.created", json.clone());
        Ok(json)
    })
}
