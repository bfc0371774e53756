//! Encryption at rest for secrets the server must read back (TOTP seeds): ChaCha20-Poly1305
//! under a key kept in the data directory, apart from the database, so a copy of the database
//! alone reveals no seed. The key file is created on first use, readable only by its owner.

use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use crate::PlatformError;

const KEY_FILE: &str = "secret.key";
const NONCE_LEN: usize = 12;

/// The key file's path in a data directory.
pub fn key_path(data_dir: &Path) -> PathBuf {
    data_dir.join(KEY_FILE)
}

fn internal(message: impl std::fmt::Display) -> PlatformError {
    PlatformError::Internal(format!("sealing secrets failed: {message}"))
}

/// Reads the key, creating it (mode 0600) when the data directory has none yet.
pub fn load_or_create_key(data_dir: &Path) -> Result<[u8; 32], PlatformError> {
    let path = key_path(data_dir);
    match std::fs::read(&path) {
        Ok(bytes) => bytes
            .try_into()
            .map_err(|_| internal(format!("{} does not hold 32 bytes", path.display()))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(data_dir).map_err(internal)?;
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(mut file) => {
                    file.write_all(&key).map_err(internal)?;
                    file.sync_all().map_err(internal)?;
                    Ok(key)
                }
                // Another process created it first: use theirs.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    load_or_create_key(data_dir)
                }
                Err(error) => Err(internal(error)),
            }
        }
        Err(error) => Err(internal(error)),
    }
}

/// Encrypts `plaintext` to base64 of nonce and ciphertext.
pub fn seal(key: &[u8; 32], plaintext: &[u8]) -> Result<String, PlatformError> {
    let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ciphertext = cipher.encrypt(&nonce, plaintext).map_err(internal)?;
    let mut sealed = nonce.to_vec();
    sealed.extend_from_slice(&ciphertext);
    Ok(STANDARD.encode(sealed))
}

/// Decrypts what [`seal`] produced; fails when the key or the text is not the one sealed.
pub fn open(key: &[u8; 32], sealed: &str) -> Result<Vec<u8>, PlatformError> {
    let bytes = STANDARD.decode(sealed).map_err(internal)?;
    if bytes.len() <= NONCE_LEN {
        return Err(internal("a sealed secret is too short"));
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    ChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(Nonce::from_slice(nonce), ciphertext)
        .map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_with_their_key() {
        let dir = tempfile::tempdir().unwrap();
        let key = load_or_create_key(dir.path()).unwrap();
        assert_eq!(load_or_create_key(dir.path()).unwrap(), key);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(key_path(dir.path()))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sealed = seal(&key, b"seed").unwrap();
        assert!(!sealed.contains("seed"));
        assert_eq!(open(&key, &sealed).unwrap(), b"seed");
        assert!(open(&[7u8; 32], &sealed).is_err());
        assert!(open(&key, "AAAA").is_err());
    }
}
