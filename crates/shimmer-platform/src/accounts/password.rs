//! Password hashing with Argon2id (the crate's defaults follow OWASP's recommended parameters).
//! Hashing is deliberately slow, so it runs on the blocking pool, never on a runtime thread.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::PlatformError;

pub async fn hash(password: &str) -> Result<String, PlatformError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| {
                PlatformError::Refused(format!("could not hash the password: {error}"))
            })
    })
    .await
    .map_err(|error| PlatformError::Refused(format!("password hashing stopped: {error}")))?
}

/// Whether `password` matches `hash`. A malformed stored hash never matches.
pub async fn verify(password: &str, hash: &str) -> bool {
    let password = password.to_owned();
    let hash = hash.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of a random password, verified against when a login names no account, so that
/// the response time does not tell whether an account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(crate::random_token(16).as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let hash = super::hash("correct horse").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(super::verify("correct horse", &hash).await);
        assert!(!super::verify("wrong horse", &hash).await);
        assert!(!super::verify("correct horse", "not a hash").await);
    }
}
