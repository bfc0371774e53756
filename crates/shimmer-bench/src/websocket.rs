//! The benchmark's WebSocket clients: opened with the server's small read buffer.
//!
//! At tungstenite's default read buffer (128 KiB, zero-filled before every read) thousands of
//! client sockets spend most of the generator's time in `memset`, and a generator on the same
//! cores as the server then takes the server's share.

use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// A client socket over plain TCP (or TLS, for a `wss:` URL).
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a WebSocket with [`shimmer_http::WEBSOCKET_READ_BUFFER_BYTES`] as its read buffer.
pub async fn connect(request: impl IntoClientRequest + Unpin) -> anyhow::Result<Socket> {
    let config =
        WebSocketConfig::default().read_buffer_size(shimmer_http::WEBSOCKET_READ_BUFFER_BYTES);
    let (socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), false).await?;
    Ok(socket)
}
