//! GraphQL over WebSockets at `/api/graph/websocket` and `/api/socket/websocket`. The socket
//! authenticates on the upgrade from `token=` or `client_id=` (an invalid one gets HTTP 403, as
//! Glimesh's clients expect) and then speaks Phoenix channels ([`phoenix`]), or the standard
//! `graphql-transport-ws` protocol ([`transport_ws`]) when the client asks for it.
//!
//! One task reads a socket's frames and handles them in order; subscriptions run as their own
//! tasks; one writer task sends whatever is queued, flushing once per burst.

mod phoenix;
mod session;
mod transport_ws;

use std::collections::HashMap;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::auth::Credential;
use crate::{Api, ApiState};

pub use session::Session;

/// Frames a socket may have queued before its subscriptions wait (and then skip events).
const OUTBOX: usize = 1024;

const TRANSPORT_WS: &str = "graphql-transport-ws";

/// The close code (1012, Service Restart) and reason sent to every socket at shutdown.
const CLOSE_RESTARTING: u16 = 1012;
const CLOSE_RESTARTING_REASON: &str = "server restarting";
/// How long the close frame sent at shutdown may take to write.
const CLOSE_WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

pub async fn legacy(
    state: State<ApiState>,
    params: Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
    request: Request,
) -> Response {
    accept(state, params, upgrade, request, Api::Legacy).await
}

pub async fn graph(
    state: State<ApiState>,
    params: Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
    request: Request,
) -> Response {
    accept(state, params, upgrade, request, Api::Graph).await
}

async fn accept(
    State(state): State<ApiState>,
    Query(params): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
    request: Request,
    api: Api,
) -> Response {
    let ip = shimmer_http::ClientIp::of(request.extensions());
    let wants_transport_ws = upgrade
        .requested_protocols()
        .any(|protocol| protocol.as_bytes() == TRANSPORT_WS.as_bytes());
    let credential = Credential::from_socket_params(
        params.get("token").map(String::as_str),
        params.get("client_id").map(String::as_str),
    );
    let upgrade = upgrade
        .max_message_size(state.0.config.max_document_bytes)
        .read_buffer_size(shimmer_http::WEBSOCKET_READ_BUFFER_BYTES);
    // graphql-transport-ws clients may instead authenticate in `connection_init`.
    if wants_transport_ws && credential.is_none() {
        return upgrade
            .protocols([TRANSPORT_WS])
            .on_upgrade(move |socket| serve(socket, state, api, None, ip, true));
    }
    let rate_key = credential.as_ref().map(Credential::rate_key);
    let caller = match crate::http::admit(&state, credential).await {
        Ok(caller) => caller,
        Err(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => return response,
        Err(_) => return StatusCode::FORBIDDEN.into_response(),
    };
    let authenticated = rate_key.map(|key| (caller, key));
    if wants_transport_ws {
        upgrade
            .protocols([TRANSPORT_WS])
            .on_upgrade(move |socket| serve(socket, state, api, authenticated, ip, true))
    } else {
        upgrade.on_upgrade(move |socket| serve(socket, state, api, authenticated, ip, false))
    }
}

async fn serve(
    socket: WebSocket,
    state: ApiState,
    api: Api,
    authenticated: Option<(crate::auth::Caller, String)>,
    ip: shimmer_http::ClientIp,
    transport_ws: bool,
) {
    let (mut sink, mut inbound) = socket.split();
    let (outbox, mut queued) = mpsc::channel::<String>(OUTBOX);
    let shutdown = state.0.shutdown.clone();
    let closing = shutdown.clone();
    let writer = tokio::spawn(async move {
        while let Some(frame) = queued.recv().await {
            if sink.feed(Message::Text(frame.into())).await.is_err() {
                return;
            }
            while let Ok(frame) = queued.try_recv() {
                if sink.feed(Message::Text(frame.into())).await.is_err() {
                    return;
                }
            }
            if sink.flush().await.is_err() {
                return;
            }
        }
        if closing.is_cancelled() {
            let close = CloseFrame {
                code: CLOSE_RESTARTING,
                reason: CLOSE_RESTARTING_REASON.into(),
            };
            let _ =
                tokio::time::timeout(CLOSE_WRITE_TIMEOUT, sink.send(Message::Close(Some(close))))
                    .await;
        } else {
            let _ = sink.close().await;
        }
    });
    metrics::gauge!("api_sockets_open").increment(1.0);
    let idle = state.0.config.socket_idle_timeout;
    // Accounts banned from the platform: a socket acting as one closes.
    let mut bans = std::pin::pin!(crate::events::filtered(
        state.0.events.subscribe(),
        |event| match event {
            shimmer_bus::Event::AccountBanned { user_id, .. } => Some(*user_id),
            _ => None,
        }
    ));
    let mut session = Session::new(state, api, ip, outbox);
    if let Some((caller, rate_key)) = authenticated {
        session.authenticate(caller, rate_key);
    }
    loop {
        let next = tokio::select! {
            () = shutdown.cancelled() => break,
            Some(banned) = bans.next() => {
                let acting = session.caller.as_ref().and_then(|caller| caller.user.as_ref());
                if acting.is_some_and(|user| user.id == banned) {
                    break;
                }
                continue;
            }
            next = tokio::time::timeout(idle, inbound.next()) => next,
        };
        let frame = match next {
            Err(_) => break,
            Ok(None | Some(Err(_))) => break,
            Ok(Some(Ok(frame))) => frame,
        };
        let text = match frame {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let keep_open = if transport_ws {
            transport_ws::handle(&mut session, text.as_str()).await
        } else {
            phoenix::handle(&mut session, text.as_str()).await
        };
        if !keep_open {
            break;
        }
    }
    session.close();
    drop(session);
    let _ = writer.await;
    metrics::gauge!("api_sockets_open").decrement(1.0);
}
