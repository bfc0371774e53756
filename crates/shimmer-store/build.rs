//! The migrations are embedded at compile time by `sqlx::migrate!`; stable Rust cannot tell
//! Cargo that a macro read a folder, so this script does: adding, changing or renaming a
//! migration rebuilds the crate instead of leaving an old set embedded.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
