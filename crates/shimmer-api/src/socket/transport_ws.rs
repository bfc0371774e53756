//! The `graphql-transport-ws` protocol for modern clients: `connection_init` (which may carry
//! the credential as `authorization`, `token` or `client_id`), `subscribe`/`next`/`complete`,
//! `ping`/`pong`. Operation ids are the client's.

use serde_json::{json, Value as Json};

use super::session::{Outcome, Session};
use crate::auth::{authenticate, Credential};
use crate::execute::{self, Submission};

fn message(kind: &str) -> String {
    json!({ "type": kind }).to_string()
}

fn credential_of(payload: &Json) -> Option<Credential> {
    let text = |key: &str| payload.get(key).and_then(Json::as_str);
    text("authorization")
        .or_else(|| text("Authorization"))
        .and_then(Credential::from_authorization)
        .or_else(|| Credential::from_socket_params(text("token"), text("client_id")))
}

/// A `next` message carrying one result.
fn next(id: &str, response: &async_graphql::Response) -> String {
    format!(
        r#"{{"id":{},"type":"next","payload":{}}}"#,
        Json::from(id),
        execute::response_json(response)
    )
}

/// Handles one inbound message; false when the socket should close.
pub async fn handle(session: &mut Session, text: &str) -> bool {
    let Ok(incoming) = serde_json::from_str::<Json>(text) else {
        return false;
    };
    let kind = incoming
        .get("type")
        .and_then(Json::as_str)
        .unwrap_or_default();
    match kind {
        "connection_init" if !session.ready => {
            if session.caller.is_none() {
                let payload = incoming.get("payload").cloned().unwrap_or(Json::Null);
                let Some(credential) = credential_of(&payload) else {
                    return false;
                };
                match authenticate(&session.state.0.platform, &credential).await {
                    Ok(caller) => session.authenticate(caller, credential.rate_key()),
                    Err(_) => return false,
                }
            }
            session.ready = true;
            session.send(message("connection_ack")).await
        }
        "ping" => session.send(message("pong")).await,
        "pong" => true,
        "subscribe" if session.ready => subscribe(session, &incoming).await,
        "complete" => {
            if let Some(id) = incoming.get("id").and_then(Json::as_str) {
                if let Some(subscription) = session.aliases.remove(id) {
                    session.unsubscribe(&subscription);
                }
            }
            true
        }
        _ => false,
    }
}

async fn subscribe(session: &mut Session, incoming: &Json) -> bool {
    let Some(id) = incoming.get("id").and_then(Json::as_str).map(str::to_owned) else {
        return false;
    };
    if session.aliases.contains_key(&id) {
        return false;
    }
    let payload = incoming.get("payload").cloned().unwrap_or(Json::Null);
    let error = |errors: Json| json!({"id": id, "type": "error", "payload": errors}).to_string();
    let Some(query) = payload
        .get("query")
        .and_then(Json::as_str)
        .map(str::to_owned)
    else {
        return session
            .send(error(json!([{"message": "No query document supplied"}])))
            .await;
    };
    let variables = match execute::decode_variables(payload.get("variables").cloned()) {
        Ok(variables) => variables,
        Err(message) => return session.send(error(json!([{ "message": message }]))).await,
    };
    let submission = Submission {
        query,
        variables,
        operation_name: payload
            .get("operationName")
            .and_then(Json::as_str)
            .map(str::to_owned),
    };
    let operation_id = id.clone();
    let push =
        Box::new(move |_: &str, response: &async_graphql::Response| next(&operation_id, response));
    match session.run(submission, push).await {
        Outcome::Subscribed(subscription) => {
            session.aliases.insert(id, subscription);
            true
        }
        Outcome::Done(response) if execute::only_errors(&response) => {
            let errors = serde_json::to_value(&response.errors).unwrap_or(Json::Null);
            session.send(error(errors)).await
        }
        Outcome::Done(response) => {
            session.send(next(&id, &response)).await
                && session
                    .send(json!({"id": id, "type": "complete"}).to_string())
                    .await
        }
    }
}
