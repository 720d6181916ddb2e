//! Trust anchors: the PEC CA certificates a provider signature must chain to.
//!
//! PEC rules §6 and `trust/README`: the built-in set is the 11 CA certificates AgID publishes
//! (DigitPA CA1 2011, and ten re-issues of AgID CA1 that share one key). Users can add anchors
//! (a new re-issue, a REM trust list later) without a new release. Certificates are parsed
//! once here, so verification never re-parses them.

use base64::Engine as _;

use super::certificate::Certificate;
use super::error::SignatureError;

/// The PEC CA certificates shipped with Attesta (public data, see `trust/README`).
const BUILTIN_PEM: [&str; 11] = [
    include_str!("../../trust/pec-ca/digitpa-ca1-20110114.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20171012.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20180404.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20180711.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20190613.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20200130.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20200219.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20201013.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20210622.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20210921.pem"),
    include_str!("../../trust/pec-ca/agid-ca1-20250220.pem"),
];

/// A set of trusted CA certificates. Build once, reuse for every verification.
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    certs: Vec<Certificate>,
}

impl TrustAnchors {
    /// An empty set (nothing is trusted).
    pub fn empty() -> Self {
        TrustAnchors::default()
    }

    /// The 11 PEC CA certificates shipped with Attesta.
    pub fn builtin() -> TrustAnchors {
        let mut anchors = TrustAnchors::empty();
        for pem in BUILTIN_PEM {
            // NOTE: the shipped files are checked by a unit test; a failure here cannot
            // happen at run time, and would only drop that one anchor.
            let _ = anchors.add_pem(pem.as_bytes());
        }
        anchors
    }

    /// Adds every `CERTIFICATE` block of a PEM file; returns how many were new.
    /// All or nothing: if one block is not a certificate, none is added.
    pub fn add_pem(&mut self, pem: &[u8]) -> Result<usize, SignatureError> {
        let parsed = pem_blocks(pem)?
            .iter()
            .map(|der| Certificate::from_der(der))
            .collect::<Result<Vec<_>, _>>()?;
        let mut added = 0;
        for cert in parsed {
            if self.insert(cert) {
                added += 1;
            }
        }
        Ok(added)
    }

    /// Adds one DER certificate (a no-op if it is already there).
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), SignatureError> {
        self.insert(Certificate::from_der(der)?);
        Ok(())
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    fn insert(&mut self, cert: Certificate) -> bool {
        if self.certs.iter().any(|c| c.sha256 == cert.sha256) {
            return false;
        }
        self.certs.push(cert);
        true
    }

    /// Anchors whose subject is exactly `name` (raw DER).
    pub(crate) fn named<'s>(
        &'s self,
        name: &'s [u8],
    ) -> impl Iterator<Item = &'s Certificate> + 's {
        self.certs.iter().filter(move |c| c.subject_der() == name)
    }

    /// The anchor identical to `cert` (same DER), if `cert` is itself trusted.
    pub(crate) fn same_as(&self, cert: &Certificate) -> Option<&Certificate> {
        self.certs.iter().find(|c| c.sha256 == cert.sha256)
    }
}

/// DER bodies of the `CERTIFICATE` blocks of a PEM text (RFC 7468).
pub(crate) fn pem_blocks(pem: &[u8]) -> Result<Vec<Vec<u8>>, SignatureError> {
    let text = String::from_utf8_lossy(pem);
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for line in text.lines() {
        let line = line.trim();
        if line == "-----BEGIN CERTIFICATE-----" || line == "-----BEGIN X509 CERTIFICATE-----" {
            body = Some(String::new());
        } else if line.starts_with("-----END ") {
            if let Some(b64) = body.take() {
                let der = base64::engine::general_purpose::STANDARD
                    .decode(b64.as_bytes())
                    .map_err(|_| SignatureError::InvalidPem)?;
                out.push(der);
            }
        } else if let Some(b) = body.as_mut() {
            // Skip RFC 1421 headers ("Key: value") if any.
            if !line.contains(':') {
                b.push_str(line);
            }
        }
    }
    if out.is_empty() {
        return Err(SignatureError::NoPemCertificate);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_eleven_builtin_anchors_parse_with_their_published_fingerprints() {
        let mut anchors = TrustAnchors::empty();
        let mut fingerprints = Vec::new();
        for pem in BUILTIN_PEM {
            assert_eq!(anchors.add_pem(pem.as_bytes()).unwrap(), 1);
            fingerprints.push(anchors.certs.last().unwrap().sha256_hex());
        }
        assert_eq!(TrustAnchors::builtin().len(), 11);
        assert!(fingerprints.contains(
            &"790ec428504a61f273e4fcf7ffd4d56991edc02d4402fbbd8914e149fa278c1d".to_string()
        ));
        assert!(fingerprints.contains(
            &"d070bf019cfba46c8d3414d6fe8d7d21077f3545c2fe839e3d250f324e37c5ab".to_string()
        ));
    }

    #[test]
    fn the_ten_agid_reissues_share_one_name_and_one_key() {
        let anchors = TrustAnchors::builtin();
        let agid: Vec<_> = anchors
            .certs
            .iter()
            .filter(|c| c.common_name().as_deref() == Some("AgID CA1"))
            .collect();
        assert_eq!(agid.len(), 10);
        assert!(agid.iter().all(|c| c.spki_der() == agid[0].spki_der()));
        assert_eq!(anchors.named(agid[0].subject_der()).count(), 10);
    }

    #[test]
    fn adding_the_same_anchor_twice_adds_nothing() {
        let mut anchors = TrustAnchors::builtin();
        assert_eq!(anchors.add_pem(BUILTIN_PEM[0].as_bytes()).unwrap(), 0);
        assert_eq!(anchors.len(), 11);
    }

    #[test]
    fn a_pem_file_with_several_certificates_adds_them_all() {
        let two = format!("{}\n{}", BUILTIN_PEM[0], BUILTIN_PEM[1]);
        let mut anchors = TrustAnchors::empty();
        assert_eq!(anchors.add_pem(two.as_bytes()).unwrap(), 2);
    }

    #[test]
    fn non_certificates_are_refused() {
        let mut anchors = TrustAnchors::empty();
        assert_eq!(
            anchors.add_pem(b"hello"),
            Err(SignatureError::NoPemCertificate)
        );
        let junk = b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
        assert_eq!(anchors.add_pem(junk), Err(SignatureError::NotACertificate));
        assert!(anchors.add_der(b"\x30\x00").is_err());
        assert!(anchors.is_empty());
    }
}
