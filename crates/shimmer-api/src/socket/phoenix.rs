//! Phoenix channels (serializer V2) as Absinthe spoke them: array frames
//! `[join_ref, ref, topic, event, payload]`, the `__absinthe__:control` channel with `doc` and
//! `unsubscribe`, heartbeats on `phoenix`, and pushes on a topic equal to the subscription id
//! with null refs. Refs are echoed exactly as sent, whatever their JSON type.

use serde_json::{json, Value as Json};

use super::session::{Outcome, Session};
use crate::execute::{self, Submission};

const CONTROL: &str = "__absinthe__:control";

fn reply(join_ref: &Json, reference: &Json, topic: &str, status: &str, response: &str) -> String {
    format!(
        r#"[{},{},{},"phx_reply",{{"response":{response},"status":"{status}"}}]"#,
        join_ref,
        reference,
        Json::from(topic)
    )
}

/// The frame that pushes one subscription result.
fn push(subscription_id: &str, response: &async_graphql::Response) -> String {
    let id = Json::from(subscription_id);
    format!(
        r#"[null,null,{id},"subscription:data",{{"result":{},"subscriptionId":{id}}}]"#,
        execute::response_json(response)
    )
}

/// Handles one inbound frame; false when the socket should close.
pub async fn handle(session: &mut Session, text: &str) -> bool {
    let Ok(Json::Array(frame)) = serde_json::from_str::<Json>(text) else {
        tracing::debug!("ignoring a socket frame that is not a Phoenix array");
        return true;
    };
    let [join_ref, reference, Json::String(topic), Json::String(event), payload] =
        <[Json; 5]>::try_from(frame).unwrap_or_else(|_| Default::default())
    else {
        tracing::debug!("ignoring a malformed Phoenix frame");
        return true;
    };
    let frame = match (topic.as_str(), event.as_str()) {
        ("phoenix", "heartbeat") => reply(&Json::Null, &reference, &topic, "ok", "{}"),
        (CONTROL, "phx_join") => {
            session.ready = true;
            reply(&join_ref, &reference, &topic, "ok", "{}")
        }
        (CONTROL, "phx_leave") if session.ready => {
            session.ready = false;
            session.close();
            reply(&join_ref, &reference, &topic, "ok", "{}")
        }
        (CONTROL, "doc") if session.ready => {
            let (status, response) = run_doc(session, payload).await;
            reply(&join_ref, &reference, &topic, status, &response)
        }
        (CONTROL, "unsubscribe") if session.ready => {
            let id = payload
                .get("subscriptionId")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_owned();
            if session.unsubscribe(&id) {
                reply(
                    &join_ref,
                    &reference,
                    &topic,
                    "ok",
                    &json!({"subscriptionId": id}).to_string(),
                )
            } else {
                reply(
                    &join_ref,
                    &reference,
                    &topic,
                    "error",
                    &json!({"reason": "There is no subscription with that id on this socket."})
                        .to_string(),
                )
            }
        }
        _ => reply(
            &Json::Null,
            &reference,
            &topic,
            "error",
            r#"{"reason":"unmatched topic"}"#,
        ),
    };
    session.send(frame).await
}

async fn run_doc(session: &mut Session, payload: Json) -> (&'static str, String) {
    let query = match payload.get("query").and_then(Json::as_str) {
        Some(query) if !query.trim().is_empty() => query.to_owned(),
        _ => return ("error", execute::error_json("No query document supplied")),
    };
    let variables = match execute::decode_variables(payload.get("variables").cloned()) {
        Ok(variables) => variables,
        Err(message) => return ("error", execute::error_json(&message)),
    };
    let operation_name = payload
        .get("operationName")
        .and_then(Json::as_str)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let submission = Submission {
        query,
        variables,
        operation_name,
    };
    match session.run(submission, Box::new(push)).await {
        Outcome::Subscribed(id) => ("ok", json!({"subscriptionId": id}).to_string()),
        Outcome::Done(response) => {
            let status = if execute::only_errors(&response) {
                "error"
            } else {
                "ok"
            };
            (status, execute::response_json(&response))
        }
    }
}
