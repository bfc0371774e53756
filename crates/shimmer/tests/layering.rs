//! The domain owns its data: the web and API crates reach the database only through
//! `shimmer-platform`, and nothing they can name carries a password hash, a stream key or any
//! other secret; and the dev-only test kit stays out of the server. These tests read the
//! workspace's dependency graph (`cargo metadata`) and the crates' sources, so a change that
//! breaks a rule fails here with the offending name.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The crates that translate requests; they must see the domain only.
const TRANSPORTS: [&str; 2] = ["shimmer-web", "shimmer-api"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The machine's own target triple: only its dependencies are downloaded on a fresh machine,
/// so metadata for every platform could not be read offline.
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned()
}

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
        ])
        .arg(host_triple())
        .arg("--manifest-path")
        .arg(workspace_root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Package names reachable from `start` through normal and build dependencies, without going
/// through `around` (what `cargo tree -p START --prune AROUND` lists).
fn reachable(metadata: &Value, start: &str, around: Option<&str>) -> BTreeSet<String> {
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|package| {
            (
                package["id"].as_str().unwrap(),
                package["name"].as_str().unwrap(),
            )
        })
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| (node["id"].as_str().unwrap(), node))
        .collect();
    let start_id = names
        .iter()
        .find(|(_, name)| **name == start)
        .map(|(id, _)| *id)
        .unwrap_or_else(|| panic!("{start} is not in the workspace"));
    let mut seen = BTreeSet::new();
    let mut queue = vec![start_id];
    while let Some(id) = queue.pop() {
        for dep in nodes[id]["deps"].as_array().unwrap() {
            let runtime = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|kind| kind["kind"].as_str() != Some("dev"));
            let dep_id = dep["pkg"].as_str().unwrap();
            let name = names[dep_id];
            if !runtime || Some(name) == around || !seen.insert(name.to_owned()) {
                continue;
            }
            queue.push(dep_id);
        }
    }
    seen
}

#[test]
fn web_and_api_depend_on_the_domain_not_the_store() {
    let metadata = metadata();
    for transport in TRANSPORTS {
        let package = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|package| package["name"] == transport)
            .unwrap();
        let declared: Vec<&str> = package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|dep| dep["name"].as_str().unwrap())
            .collect();
        assert!(
            declared.contains(&"shimmer-platform"),
            "{transport} should use the domain"
        );
        assert!(
            !declared.contains(&"shimmer-store"),
            "{transport} declares a dependency on shimmer-store; read through shimmer-platform"
        );
        let reachable = reachable(&metadata, transport, Some("shimmer-platform"));
        assert!(
            !reachable.contains("shimmer-store"),
            "{transport} reaches shimmer-store other than through shimmer-platform: {reachable:?}"
        );
    }
}

#[test]
fn only_live_thumbnails_pull_in_a_video_decoder() {
    let metadata = metadata();
    for crate_name in [
        "shimmer-platform",
        "shimmer-web",
        "shimmer-api",
        "shimmer-images",
    ] {
        let reachable = reachable(&metadata, crate_name, None);
        for decoder in ["openh264", "shimmer-thumbnail"] {
            assert!(
                !reachable.contains(decoder),
                "{crate_name} reaches {decoder}; still images belong in shimmer-images"
            );
        }
    }
    assert!(reachable(&metadata, "shimmer-thumbnail", None).contains("openh264"));
}

/// The test kit (test media, the WHEP test viewer) is for the suites and the benchmarks: no
/// crate the server is built from depends on it, other than for its tests.
#[test]
fn only_the_benchmarks_depend_on_the_test_kit_outside_tests() {
    let metadata = metadata();
    let users: Vec<&str> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|package| {
            package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|dep| dep["name"] == "shimmer-testkit" && dep["kind"] != "dev")
        })
        .map(|package| package["name"].as_str().unwrap())
        .collect();
    assert_eq!(users, ["shimmer-bench"]);
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files
}

/// The store's row types that carry a secret: any field named for a hash or a secret
/// (password hashes, stream-key secrets, client-secret and token hashes, sealed TOTP seeds).
fn secret_bearing_store_types(root: &Path) -> BTreeSet<String> {
    let mut types = BTreeSet::new();
    for (_, text) in sources(&root.join("crates/shimmer-store/src")) {
        let mut current: Option<String> = None;
        for line in text.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("pub struct ") {
                current = rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .map(str::to_owned);
            } else if line == "}" {
                current = None;
            } else if let (Some(name), Some(field)) = (&current, line.strip_prefix("pub ")) {
                let field = field.split(':').next().unwrap_or_default();
                if field.contains("hash") || field.contains("secret") {
                    types.insert(name.clone());
                }
            }
        }
    }
    types
}

fn mentions_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        boundary(before) && boundary(after)
    })
}

/// The parts of the domain's sources other crates can name: public function signatures (up to
/// their body), public fields and re-exports. `pub(crate)` items are not included.
fn public_surface(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut signature: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(open) = &mut signature {
            open.push_str(line);
            open.push('\n');
            if line.contains('{') || line.trim_end().ends_with(';') {
                items.push(signature.take().unwrap());
            }
            continue;
        }
        let public = trimmed.starts_with("pub fn ")
            || trimmed.starts_with("pub async fn ")
            || trimmed.starts_with("pub use ");
        if public {
            if line.contains('{') && !trimmed.starts_with("pub use ") || line.contains(';') {
                items.push(line.to_owned());
            } else {
                signature = Some(format!("{line}\n"));
            }
        } else if trimmed.starts_with("pub ") && trimmed.contains(": ") {
            items.push(line.to_owned());
        }
    }
    items
}

#[test]
fn no_secret_bearing_row_is_handed_to_the_web_or_the_api() {
    let root = workspace_root();
    let secret_types = secret_bearing_store_types(&root);
    for expected in ["User", "Channel", "OAuthApp"] {
        assert!(
            secret_types.contains(expected),
            "the scan should find the store's {expected} row: {secret_types:?}"
        );
    }
    let mut leaks = Vec::new();
    for (path, text) in sources(&root.join("crates/shimmer-platform/src")) {
        for item in public_surface(&text) {
            for name in &secret_types {
                if mentions_word(&item, name) {
                    leaks.push(format!("{}: {name} in `{}`", path.display(), item.trim()));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "the domain hands out rows that carry secrets:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn web_and_api_sources_name_no_store_and_no_secret() {
    let root = workspace_root();
    let forbidden = [
        "shimmer_store",
        "password_hash",
        "stream_key_secret",
        "secret_hash",
        "secret_sealed",
        "totp_secret",
        "token_hash",
    ];
    let mut found = Vec::new();
    for transport in TRANSPORTS {
        for (path, text) in sources(&root.join("crates").join(transport).join("src")) {
            for word in forbidden {
                if text.contains(word) {
                    found.push(format!("{}: {word}", path.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "found: {found:?}");
}
