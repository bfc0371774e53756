use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A random token of `bytes` bytes from the operating system's CSPRNG, URL-safe base64.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buffer);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer)
}

/// The hash under which a token is stored: the database never holds a usable token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A stream-key secret: 64 characters drawn uniformly from letters and digits by the CSPRNG.
pub fn stream_key_secret() -> String {
    use rand::distributions::{Alphanumeric, DistString};
    Alphanumeric.sample_string(&mut rand::rngs::OsRng, 64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        assert_ne!(random_token(32), random_token(32));
        assert_eq!(random_token(32).len(), 43);
        assert_eq!(hash_token("a"), hash_token("a"));
        assert_ne!(hash_token("a"), hash_token("b"));
    }

    #[test]
    fn stream_key_secrets_are_64_alphanumerics() {
        let secret = stream_key_secret();
        assert_eq!(secret.len(), 64);
        assert!(secret.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(secret, stream_key_secret());
    }
}
