//! Live chat over WebSockets: the per-channel fan-out of pre-serialised frames and the socket
//! protocol. The rules live in `shimmer-platform`; this module only carries frames.

pub mod coalesce;
pub mod protocol;
pub mod socket;
