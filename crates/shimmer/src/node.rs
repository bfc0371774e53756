//! This node's identity: the id recorded on the streams it ingests, so that start-up recovery
//! closes only its own streams when several nodes share one database.

use std::path::Path;

use anyhow::Context;
use rand::Rng;
use shimmer_store::StreamOwner;

/// The file in the data directory that keeps a generated node id across restarts.
const NODE_ID_FILE: &str = "node-id";

/// The configured `node_id`, else the id kept in the data directory (made on first start).
pub fn identity(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<StreamOwner> {
    let node_id = match configured.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => id.to_owned(),
        None => stored_or_new_id(data_dir)?,
    };
    let host = hostname::get()
        .ok()
        .and_then(|name| name.into_string().ok())
        .unwrap_or_else(|| "unknown".into());
    Ok(StreamOwner { node_id, host })
}

fn stored_or_new_id(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join(NODE_ID_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) if !text.trim().is_empty() => return Ok(text.trim().to_owned()),
        Ok(_) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(error).with_context(|| format!("could not read {}", path.display()))
        }
    }
    let id: String = format!("{:032x}", rand::thread_rng().gen::<u128>());
    // Written whole or not at all, so a crash never leaves a half id behind.
    let partial = data_dir.join(format!("{NODE_ID_FILE}.partial"));
    std::fs::write(&partial, format!("{id}\n"))
        .and_then(|()| std::fs::rename(&partial, &path))
        .with_context(|| format!("could not write {}", path.display()))?;
    Ok(id)
}
