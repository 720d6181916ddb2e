//! Which kind of signed file a byte string is, from its bytes (never its name).
//!
//! Issue 15 §1: `.p7m` (CMS SignedData, RFC 5652), `.tsr`/`.tst` (RFC 3161 TimeStampResp or bare
//! TimeStampToken), `.tsd` (RFC 5544 TimeStampedData), `.m7m` (a MIME message with a `.p7m` and its
//! timestamp), PAdES (a PDF, ISO 32000 §12.8). A file name is a hint the caller may show; the bytes
//! decide. Base64/PEM-wrapped files are recognised after unwrapping ([`crate::armor`]).

use der::asn1::ObjectIdentifier;
use pec_core::signature::ID_CT_TST_INFO;

pec_core::closed_set! {
    /// A signed file's container.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum DocumentFormat {
        /// CMS SignedData with the document inside (`.p7m`), CAdES or plain PKCS#7.
        Cades = "cades",
        /// A PDF with signatures in its byte ranges.
        Pades = "pades",
        /// A MIME message holding a `.p7m` and an RFC 3161 timestamp over it.
        M7m = "m7m",
        /// RFC 5544 TimeStampedData: a document and its timestamps.
        Tsd = "tsd",
        /// An RFC 3161 timestamp on its own (TimeStampResp or TimeStampToken).
        Tsr = "tsr",
    }
}

/// id-signedData, 1.2.840.113549.1.7.2 and id-ct-timestampedData, 1.2.840.113549.1.9.16.1.31.
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CT_TIMESTAMPED_DATA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.31");

/// The container of `bytes` (already unwrapped from base64), or `None`.
pub fn recognise(bytes: &[u8]) -> Option<DocumentFormat> {
    let head = bytes.get(..1024.min(bytes.len()))?;
    // DER first: a `.p7m` of a PDF carries `%PDF-` within its first kilobyte too.
    if bytes.first() == Some(&0x30) {
        return asn1(bytes);
    }
    if memchr::memmem::find(head, b"%PDF-").is_some() {
        return Some(DocumentFormat::Pades);
    }
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    if lower.contains("content-type:") && lower.contains("multipart/") {
        return Some(DocumentFormat::M7m);
    }
    None
}

/// A CMS object: SignedData (a `.p7m`, or a bare token when its content is a TSTInfo),
/// TimeStampedData, or a TimeStampResp (a SEQUENCE whose first element is a SEQUENCE). Read as given
/// when it is DER (most files: no copy); BER is normalised first.
fn asn1(bytes: &[u8]) -> Option<DocumentFormat> {
    if let Some(format) = classify(bytes) {
        return Some(format);
    }
    let der = pec_core::signature::normalise_ber(bytes).ok()?.der;
    classify(&der).or_else(|| is_signed_data(&der).then_some(DocumentFormat::Cades))
}

/// The format of a DER CMS object; `None` when `der` does not read as DER, or is a SignedData
/// whose content type does not read (the caller decides after normalising).
fn classify(der: &[u8]) -> Option<DocumentFormat> {
    let body = inside(der, 0x30)?;
    match body.first()? {
        0x06 => {
            let oid = ObjectIdentifier::from_bytes(inside(body, 0x06)?).ok()?;
            if oid == ID_CT_TIMESTAMPED_DATA {
                Some(DocumentFormat::Tsd)
            } else if oid == ID_SIGNED_DATA {
                Some(
                    if pec_core::signature::content_type_of(der)? == ID_CT_TST_INFO {
                        DocumentFormat::Tsr
                    } else {
                        DocumentFormat::Cades
                    },
                )
            } else {
                None
            }
        }
        0x30 => Some(DocumentFormat::Tsr),
        _ => None,
    }
}

/// A ContentInfo naming id-signedData (DER), whatever is inside: the verifier says what is wrong.
fn is_signed_data(der: &[u8]) -> bool {
    inside(der, 0x30)
        .and_then(|body| inside(body, 0x06))
        .and_then(|oid| ObjectIdentifier::from_bytes(oid).ok())
        == Some(ID_SIGNED_DATA)
}

/// The value of the DER element at the start of `bytes` if its tag is `tag`.
pub(crate) fn inside(bytes: &[u8], tag: u8) -> Option<&[u8]> {
    let (&first, rest) = bytes.split_first()?;
    if first != tag {
        return None;
    }
    let (&l0, rest) = rest.split_first()?;
    let (len, rest) = if l0 < 0x80 {
        (usize::from(l0), rest)
    } else {
        let n = usize::from(l0 & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let (len_bytes, rest) = rest.split_at_checked(n)?;
        (
            len_bytes
                .iter()
                .fold(0usize, |v, &b| (v << 8) | usize::from(b)),
            rest,
        )
    };
    rest.get(..len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdfs_and_mime_are_recognised_by_their_bytes() {
        assert_eq!(recognise(b"%PDF-1.7\n..."), Some(DocumentFormat::Pades));
        assert_eq!(
            recognise(b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n"),
            Some(DocumentFormat::M7m)
        );
        assert_eq!(recognise(b"<FatturaElettronica/>"), None);
        assert_eq!(recognise(b""), None);
        assert_eq!(recognise(&[0x30, 0x80, 0x00]), None);
    }
}
