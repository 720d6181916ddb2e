//! A memo of the two costly, pure steps of verification: decoding a certificate, and checking a
//! certificate's signature with an issuer's key.
//!
//! Every receipt from one provider embeds the same signer certificate and CA: without this, each
//! receipt pays for decoding both again and for one more RSA check of the signer certificate (an
//! AgID CA1 key is 4096-bit). Both results are functions of their inputs alone — the DER of the
//! certificate (by SHA-256) and, for the check, the issuer's SubjectPublicKeyInfo (by SHA-256) —
//! so remembering them changes no verdict. It is bounded (forgotten wholesale when full: hostile
//! input cannot grow it), shared by threads behind a lock held only to look up or insert, and
//! never does I/O.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sha2::{Digest, Sha256};

use super::algorithms::VerifyFailure;
use super::certificate::Certificate;
use super::error::SignatureError;

/// Most certificates remembered (a PEC provider's signer and CA, times every provider).
const MAX_CERTIFICATES: usize = 512;
/// Most signature checks remembered.
const MAX_CHECKS: usize = 2048;

type CheckKey = ([u8; 32], [u8; 32]);

/// The memo. Cloning gives an empty one (a memo is never worth copying).
#[derive(Default)]
pub struct VerifyCache {
    certificates: Mutex<HashMap<[u8; 32], Arc<Certificate>>>,
    checks: Mutex<HashMap<CheckKey, Result<(), VerifyFailure>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere while holding the lock leaves a memo that is still consistent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn remember<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>, cap: usize, key: K, value: V) {
    if map.len() >= cap {
        map.clear();
    }
    map.insert(key, value);
}

impl VerifyCache {
    /// The decoded certificate of `der`, decoded now or remembered.
    pub fn certificate(&self, der: &[u8]) -> Result<Arc<Certificate>, SignatureError> {
        let key: [u8; 32] = Sha256::digest(der).into();
        if let Some(cert) = lock(&self.certificates).get(&key) {
            return Ok(Arc::clone(cert));
        }
        let cert = Arc::new(Certificate::from_der(der)?);
        remember(
            &mut lock(&self.certificates),
            MAX_CERTIFICATES,
            key,
            Arc::clone(&cert),
        );
        Ok(cert)
    }

    /// Whether `issuer`'s key signed `cert`, checked now or remembered.
    pub fn is_signed_by(
        &self,
        cert: &Certificate,
        issuer: &Certificate,
    ) -> Result<(), VerifyFailure> {
        let key = (cert.sha256, issuer.key_id);
        if let Some(result) = lock(&self.checks).get(&key) {
            return result.clone();
        }
        let result = cert.is_signed_by(&issuer.key);
        remember(&mut lock(&self.checks), MAX_CHECKS, key, result.clone());
        result
    }

    /// How many certificates and checks are remembered.
    pub fn len(&self) -> (usize, usize) {
        (lock(&self.certificates).len(), lock(&self.checks).len())
    }
}

impl Clone for VerifyCache {
    fn clone(&self) -> Self {
        VerifyCache::default()
    }
}

impl std::fmt::Debug for VerifyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (certificates, checks) = self.len();
        f.debug_struct("VerifyCache")
            .field("certificates", &certificates)
            .field("checks", &checks)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor_der(pem: &str) -> Vec<u8> {
        super::super::anchors::pem_blocks(pem.as_bytes())
            .unwrap()
            .remove(0)
    }

    #[test]
    fn a_certificate_is_decoded_once_and_a_check_made_once() {
        let cache = VerifyCache::default();
        let der = anchor_der(include_str!("../../trust/pec-ca/agid-ca1-20250220.pem"));
        let a = cache.certificate(&der).unwrap();
        let b = cache.certificate(&der).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        // Actalis issued it, so its own key says no: that answer is remembered as well.
        assert_eq!(cache.is_signed_by(&a, &a), a.is_signed_by(&a.key));
        assert_eq!(cache.len(), (1, 1));
        assert_eq!(cache.is_signed_by(&a, &a), a.is_signed_by(&a.key));
        assert_eq!(cache.len(), (1, 1));
        assert!(cache.certificate(b"\x30\x00").is_err());
        assert_eq!(cache.clone().len(), (0, 0));
    }

    #[test]
    fn the_memo_stays_bounded() {
        let mut map = HashMap::new();
        for i in 0..10u8 {
            remember(&mut map, 4, i, ());
            assert!(map.len() <= 4);
        }
    }
}
