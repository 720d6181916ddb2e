//! Trust anchors: the PEC CA certificates a provider signature must chain to.
//!
//! PEC rules §6 and `trust/README`: the built-in set is the 11 CA certificates AgID publishes
//! (DigitPA CA1 2011, and ten re-issues of AgID CA1 that share one key). Users can add anchors
//! (a new re-issue, a REM trust list later) without a new release. Certificates are parsed
//! once here, so verification never re-parses them; the set also carries the verifier's memo
//! ([`VerifyCache`]), so every verification made with it reuses what earlier ones worked out.
//!
//! PEM (RFC 7468) is read with `der`'s `pem` support, one block at a time: text around the
//! blocks (e.g. `openssl x509 -text` output) and blocks of other types are ignored.

use std::sync::Arc;

use super::cache::VerifyCache;
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

/// A set of trusted CA certificates. Build once, reuse for every verification (it remembers
/// decoded certificates and signature checks across verifications, see [`VerifyCache`]).
#[derive(Debug, Clone, Default)]
pub struct TrustAnchors {
    certs: Vec<Arc<Certificate>>,
    cache: VerifyCache,
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
        self.certs.push(Arc::new(cert));
        true
    }

    /// Anchors whose subject is exactly `name`.
    pub(crate) fn named<'s>(
        &'s self,
        name: &'s x509_cert::name::Name,
    ) -> impl Iterator<Item = &'s Certificate> + 's {
        self.certs
            .iter()
            .map(|c| &**c)
            .filter(move |c| c.subject_name() == name)
    }

    /// The anchor identical to `cert` (same DER), if `cert` is itself trusted.
    pub(crate) fn same_as(&self, cert: &Certificate) -> Option<&Certificate> {
        self.certs
            .iter()
            .map(|c| &**c)
            .find(|c| c.sha256 == cert.sha256)
    }

    /// The verifier's memo.
    pub(crate) fn cache(&self) -> &VerifyCache {
        &self.cache
    }
}

/// Labels of the blocks read as certificates (RFC 7468 §5.1, and the older OpenSSL spelling).
const CERTIFICATE_LABELS: [&str; 2] = ["CERTIFICATE", "X509 CERTIFICATE"];

/// DER bodies of the `CERTIFICATE` blocks of a PEM text (RFC 7468).
pub(crate) fn pem_blocks(pem: &[u8]) -> Result<Vec<Vec<u8>>, SignatureError> {
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some((block, after)) = next_block(rest) {
        rest = after;
        let width = body_line_width(block);
        let mut decoder =
            der::pem::Decoder::new_wrapped(block, width).map_err(|_| SignatureError::InvalidPem)?;
        if !CERTIFICATE_LABELS.contains(&decoder.type_label()) {
            continue;
        }
        let mut der = Vec::new();
        decoder
            .decode_to_end(&mut der)
            .map_err(|_| SignatureError::InvalidPem)?;
        out.push(der);
    }
    if out.is_empty() {
        return Err(SignatureError::NoPemCertificate);
    }
    Ok(out)
}

const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The next `-----BEGIN …-----` … `-----END …-----` block, and what follows it.
fn next_block(text: &[u8]) -> Option<(&[u8], &[u8])> {
    let start = find(text, BEGIN)?;
    let from_start = text.get(start..)?;
    let end = find(from_start, END)?;
    let after_end = from_start.get(end + END.len()..)?;
    let close = find(after_end, b"-----")? + 5;
    let len = end + END.len() + close;
    Some((from_start.get(..len)?, from_start.get(len..)?))
}

/// The width the base64 body is wrapped at (its first line): RFC 7468 says 64, and other widths
/// are common enough (76, or one long line) to be read as well.
fn body_line_width(block: &[u8]) -> usize {
    let first_line_end = |b: &[u8]| b.iter().position(|&c| c == b'\n');
    let Some(header_end) = first_line_end(block) else {
        return 64;
    };
    let body = block.get(header_end + 1..).unwrap_or_default();
    let line = body
        .get(..first_line_end(body).unwrap_or(body.len()))
        .unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.starts_with(END) {
        64
    } else {
        line.len().max(4)
    }
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
        assert!(agid.iter().all(|c| c.key_id == agid[0].key_id));
        assert_eq!(anchors.named(agid[0].subject_name()).count(), 10);
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
    fn text_around_blocks_other_blocks_and_other_line_widths_are_fine() {
        let der = pem_blocks(BUILTIN_PEM[0].as_bytes()).unwrap().remove(0);
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &der);
        let wrapped = |width: usize| -> String {
            let lines: Vec<&str> = b64
                .as_bytes()
                .chunks(width)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            lines.join("\r\n")
        };
        let text = format!(
            "Certificate:\n    Data: ...\n-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n\
             -----BEGIN X509 CERTIFICATE-----\r\n{}\r\n-----END X509 CERTIFICATE-----\r\n\
             -----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\ntrailing words\n",
            wrapped(76),
            b64,
        );
        assert_eq!(pem_blocks(text.as_bytes()).unwrap(), vec![der.clone(), der]);
        let broken = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert_eq!(
            pem_blocks(broken.as_bytes()),
            Err(SignatureError::InvalidPem)
        );
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
