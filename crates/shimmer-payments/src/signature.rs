//! Stripe's webhook signature: the `Stripe-Signature` header carries a timestamp `t` and one
//! or more `v1` signatures, each the hex HMAC-SHA256 of `"{t}.{raw body}"` under the
//! endpoint's secret. Checked on the raw bytes (never on re-serialised JSON) and within a
//! tolerance window, so a captured delivery cannot be replayed later.
//!
//! The client library's own check also parses the event into its typed objects, which fail on
//! events rendered in another API version than the library's; Shimmer checks the signature
//! alone here and reads only the fields it needs (`facts`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Stripe's default tolerance between the signature's timestamp and now.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a delivery's signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is missing")]
    Missing,
    #[error("the Stripe-Signature header has no timestamp or no v1 signature")]
    Malformed,
    #[error("no v1 signature matches the body")]
    Mismatch,
    #[error("the signature's timestamp is {0} s away from now, more than the tolerance")]
    OutsideTolerance(i64),
}

/// Checks `header` against `body` signed with `secret`, at `now_secs`.
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    now_secs: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let mut mac = mac(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    if !signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok())
    {
        return Err(SignatureError::Mismatch);
    }
    let skew = (now_secs - timestamp).abs();
    if skew > TOLERANCE_SECS {
        return Err(SignatureError::OutsideTolerance(skew));
    }
    Ok(())
}

/// The header value Stripe would send for `body` at `timestamp` (for the stand-in and tests).
pub fn sign(body: &[u8], secret: &str, timestamp: i64) -> String {
    let mut mac = mac(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1","type":"invoice.paid"}"#;

    #[test]
    fn a_signed_body_passes_within_the_tolerance() {
        let header = sign(BODY, SECRET, 1_000);
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_000), Ok(()));
        assert_eq!(verify(Some(&header), BODY, SECRET, 1_300), Ok(()));
        assert_eq!(
            verify(Some(&header), BODY, SECRET, 1_301),
            Err(SignatureError::OutsideTolerance(301))
        );
    }

    #[test]
    fn any_matching_v1_signature_is_enough() {
        let good = sign(BODY, SECRET, 50);
        let header = format!("t=50,v1={},{}", "ab".repeat(32), &good[5..]);
        assert_eq!(verify(Some(&header), BODY, SECRET, 50), Ok(()));
    }

    #[test]
    fn changed_bodies_wrong_secrets_and_bad_headers_are_refused() {
        let header = sign(BODY, SECRET, 10);
        let reserialised = br#"{"id": "evt_1", "type": "invoice.paid"}"#;
        assert_eq!(
            verify(Some(&header), reserialised, SECRET, 10),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(Some(&header), BODY, "whsec_other", 10),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(verify(None, BODY, SECRET, 10), Err(SignatureError::Missing));
        for bad in ["", "t=10", "v1=00", "t=x,v1=00", "t=10,v1=zz"] {
            assert_eq!(
                verify(Some(bad), BODY, SECRET, 10),
                Err(SignatureError::Malformed),
                "{bad:?}"
            );
        }
    }

    /// Arbitrary headers and bodies (a fixed pseudo-random sequence) are refused, never a
    /// panic: the header is the only part parsed before the signature check.
    #[test]
    fn arbitrary_headers_are_refused_without_panicking() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"tv1=,0123456789abcdef \xff\x00";
        for _ in 0..20_000 {
            let length = (next() % 64) as usize;
            let header: Vec<u8> = (0..length)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let header = String::from_utf8_lossy(&header);
            assert!(
                verify(Some(&header), BODY, SECRET, 10).is_err(),
                "{header:?}"
            );
        }
    }
}
