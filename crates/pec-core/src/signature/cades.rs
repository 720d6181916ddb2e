//! CAdES and plain PKCS#7 signatures of documents: a `.p7m`'s every signer, with its timestamp and
//! counter-signatures, judged at the time the evidence supports.
//!
//! Issue 15 §2. RFC 5652 (CMS), ETSI EN 319 122-1 (CAdES-B, -T), RFC 5035 (signing certificate),
//! RFC 3161 (signature timestamps, `timestamp.rs`). What differs from a PEC provider signature
//! (`verify.rs`): the content is hashed exactly as it is (no MIME line endings), every parallel
//! signer is checked, a signer's certificate needs no e-mail purpose, and the time each signature is
//! judged at is, in order: a usable signature timestamp (a time the signer could not choose), the
//! signed signingTime, a time the container vouches for (`claimed_time`, e.g. a PDF's signed `/M`),
//! else none (`no-signing-time`: untrusted, as for PEC). [`TimeBasis`] says which one a verdict rests
//! on.
//!
//! Revocation: only the CRLs and OCSP responses inside the file are used, no network
//! (`revocation.rs`), those of the CMS and those the container keeps beside it (a PDF's document
//! security store, `DocumentContext::store`): each signature says `revocation-checked` when they
//! cover its path, else plainly `revocation-not-checked`.
//!
//! Pure and total: damaged input is a report with findings, never a panic.

use chrono::{DateTime, Utc};
use cms::signed_data::{SignedAttributes, SignerInfo};
use const_oid::db::rfc5911::{
    ID_CONTENT_TYPE, ID_COUNTERSIGNATURE, ID_MESSAGE_DIGEST, ID_SIGNING_TIME,
};
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};
use serde::{Deserialize, Serialize};

use super::anchors::TrustAnchors;
use super::ber;
use super::certificate::Certificate;
use super::ess;
use super::findings::{FindingCode, SignatureFinding};
use super::report::SignatureReport;
use super::revocation;
use super::security_store::SecurityStore;
use super::signed_attrs;
use super::signed_data::{self, SignedData, Signer};
use super::signer_check;
use super::time;
use super::timestamp::{TimestampReport, TimestampRevocation, verify_timestamp_revocation};

/// id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14 (RFC 3161 appendix A).
const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");

/// Counter-signatures nested deeper than this are not followed (real files have one level).
const MAX_COUNTERSIGNATURE_DEPTH: usize = 4;

crate::closed_set! {
    /// The time a document signature's verdict rests on.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum TimeBasis {
        /// A usable RFC 3161 timestamp over the signature: a time the signer could not choose.
        Timestamp = "timestamp",
        /// The signingTime the signer wrote into the signed attributes.
        SigningTime = "signing-time",
        /// A time the container states under the signature (a PDF's signed `/M`).
        Claimed = "claimed",
        /// No time at all: certificates could not be judged.
        None = "none",
    }
}

/// One signer of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSignature {
    /// Integrity, signer, chain, findings; `signed_at` is the signer's own signingTime.
    pub report: SignatureReport,
    /// The signature timestamp (CAdES-T), when one is attached.
    pub timestamp: Option<TimestampReport>,
    /// Which time the certificates were judged at.
    pub time_basis: TimeBasis,
    /// That time.
    pub judged_at: Option<DateTime<Utc>>,
    /// Counter-signatures over this signature, each checked the same way.
    #[serde(default)]
    pub countersignatures: Vec<DocumentSignature>,
    /// The certification path as encoded, signer first (for the qualified-status check against a
    /// Trusted List, which names CA certificates).
    #[serde(skip)]
    pub path: Vec<Vec<u8>>,
}

/// A CMS SignedData opened as a document signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsDocument {
    /// The encapsulated content (what was signed), when it is inside the file.
    pub content: Option<Vec<u8>>,
    /// The content type (id-data, or e.g. id-ct-TSTInfo), when readable.
    pub content_type: Option<ObjectIdentifier>,
    /// Every signer, in the order they appear.
    pub signatures: Vec<DocumentSignature>,
    /// Why the file could not be read as a signature at all (then `signatures` is empty).
    pub findings: Vec<SignatureFinding>,
    /// True when the encoding was BER and was normalised first.
    pub ber: bool,
}

/// What the caller knows about time and the content.
#[derive(Debug, Clone, Copy)]
pub struct DocumentContext<'a> {
    /// The content, for a detached signature (a PDF's byte ranges, a `.p7s` beside its file).
    pub detached: Option<&'a [u8]>,
    /// A time the container states under the signature, used only when the signature has none.
    pub claimed_time: Option<DateTime<Utc>>,
    /// The time of a usable timestamp over the whole signed file (an `.m7m`'s or a `.tsd`'s): the
    /// signature existed then, so a signature without a timestamp of its own is judged at it.
    pub stamped_at: Option<DateTime<Utc>>,
    /// The time of checking: a signing time after it is refused.
    pub now: DateTime<Utc>,
    /// Revocation data kept beside the signature (a PDF's document security store), used like
    /// the CMS's own and named as coming from there.
    pub store: Option<&'a SecurityStore>,
}

/// Opens and verifies every signer of a CMS SignedData (DER, or BER normalised first).
pub fn verify_cms_document(
    cms: &[u8],
    anchors: &TrustAnchors,
    context: DocumentContext<'_>,
) -> CmsDocument {
    let mut doc = CmsDocument {
        content: None,
        content_type: None,
        signatures: Vec::new(),
        findings: Vec::new(),
        ber: false,
    };
    let malformed = |doc: &mut CmsDocument, why: &dyn std::fmt::Display| {
        doc.findings.push(SignatureFinding::new(
            FindingCode::MalformedCms,
            format!("The file is damaged or not a signature ({why})."),
        ));
    };
    let normalised = match ber::normalise(cms) {
        Ok(n) => n,
        Err(e) => {
            malformed(&mut doc, &e);
            return doc;
        }
    };
    doc.ber = normalised.changed;
    let content_info = match signed_data::content_info(&normalised.der) {
        Ok(ci) => ci,
        Err(e) => {
            malformed(&mut doc, &e);
            return doc;
        }
    };
    let sd = match SignedData::read(&content_info) {
        Ok(sd) => sd,
        Err(e) => {
            malformed(&mut doc, &e);
            return doc;
        }
    };
    doc.content = sd.content.map(<[u8]>::to_vec);
    doc.content_type = Some(sd.content_type);
    let Some(content) = sd.content.or(context.detached) else {
        malformed(
            &mut doc,
            &"the signed content is neither inside the file nor given beside it",
        );
        return doc;
    };
    if sd.signers.is_empty() {
        malformed(&mut doc, &"no signer");
        return doc;
    }
    let embedded = signer_check::embedded(anchors, &sd.certificates);
    let shared = Shared {
        anchors,
        embedded: &embedded,
        context,
        content_type: sd.content_type,
        crls: &sd.crls,
        ber: normalised.changed,
    };
    doc.signatures = sd
        .signers
        .iter()
        .map(|signer| shared.signature(signer, Covered::Content(content), 0))
        .collect();
    doc
}

/// What a signer signed: the document, or (a counter-signature) another signer's value.
#[derive(Clone, Copy)]
enum Covered<'a> {
    Content(&'a [u8]),
    SignatureValue(&'a [u8]),
}

struct Shared<'a> {
    anchors: &'a TrustAnchors,
    embedded: &'a [std::sync::Arc<Certificate>],
    context: DocumentContext<'a>,
    content_type: ObjectIdentifier,
    /// The SignedData's revocation information, each element as encoded.
    crls: &'a [&'a [u8]],
    ber: bool,
}

impl Shared<'_> {
    fn signature(
        &self,
        signer: &Signer<'_>,
        covered: Covered<'_>,
        depth: usize,
    ) -> DocumentSignature {
        let mut report = SignatureReport::new();
        if self.ber && depth == 0 {
            report.add(
                FindingCode::BerNormalised,
                "The signature uses a loose (BER) encoding; it was normalised before checking.",
            );
        }
        let mut out = DocumentSignature {
            report: SignatureReport::new(),
            timestamp: None,
            time_basis: TimeBasis::None,
            judged_at: None,
            countersignatures: Vec::new(),
            path: Vec::new(),
        };
        self.check(&mut report, &mut out, signer, covered, depth);
        out.report = report.finish();
        out
    }

    fn check(
        &self,
        report: &mut SignatureReport,
        out: &mut DocumentSignature,
        signer: &Signer<'_>,
        covered: Covered<'_>,
        depth: usize,
    ) {
        let Some(digest) = signer_check::digest_algorithm(report, signer) else {
            return;
        };
        let bytes = match covered {
            Covered::Content(b) | Covered::SignatureValue(b) => b,
        };
        let content_digest = digest.digest_parts(&[bytes]);
        let hashed = match (&signer.info.signed_attrs, signer.signed_attrs) {
            (Some(attrs), Some(raw)) => {
                if !self.signed_attributes(report, attrs, &content_digest, covered) {
                    return;
                }
                digest.digest_parts(&signed_attrs::as_transmitted(raw))
            }
            _ => content_digest,
        };
        let Some(cert) = signer_check::signer_certificate(report, self.embedded, signer) else {
            return;
        };
        if !signer_check::signature_value(report, cert, signer, digest, &hashed) {
            return;
        }
        if let Some(attrs) = &signer.info.signed_attrs {
            ess::check_binding(report, attrs, cert);
        } else {
            report.add(
                FindingCode::NoSigningCertificateBinding,
                "The signature has no signed attributes, so it does not name the certificate it was made with (an older signature format).",
            );
        }

        // Unsigned attributes: the signature timestamp and counter-signatures.
        let signature_value = signer.info.signature.as_bytes();
        for value in unsigned_values(&signer.info, ID_AA_SIGNATURE_TIME_STAMP_TOKEN).take(1) {
            out.timestamp = Some(verify_timestamp_revocation(
                &value,
                Some(signature_value),
                self.anchors,
                TimestampRevocation {
                    now: self.context.now,
                    store: self.context.store,
                },
            ));
        }
        if depth < MAX_COUNTERSIGNATURE_DEPTH {
            for value in unsigned_values(&signer.info, ID_COUNTERSIGNATURE) {
                let counter = match countersigner(&value) {
                    Some(raw) => match signed_data::Signer::read(&raw) {
                        Ok(s) => {
                            self.signature(&s, Covered::SignatureValue(signature_value), depth + 1)
                        }
                        Err(_) => unreadable_countersignature(),
                    },
                    None => unreadable_countersignature(),
                };
                out.countersignatures.push(counter);
            }
        }

        // The time to judge at.
        let (basis, at) = match (&out.timestamp, report.signed_at, self.context.claimed_time) {
            (Some(ts), _, _) if ts.is_usable() => (TimeBasis::Timestamp, ts.time),
            _ if self.context.stamped_at.is_some() => {
                (TimeBasis::Timestamp, self.context.stamped_at)
            }
            (_, Some(t), _) => (TimeBasis::SigningTime, Some(t)),
            (_, None, Some(t)) => (TimeBasis::Claimed, Some(t)),
            _ => (TimeBasis::None, None),
        };
        signer_check::note_timestamp(report, out.timestamp.as_ref());
        out.time_basis = basis;
        out.judged_at = at;
        let certs = signer_check::path_at(
            report,
            cert,
            self.embedded,
            self.anchors,
            basis,
            at,
            self.context.now,
        );
        out.path = certs.iter().map(|c| c.der().to_vec()).collect();
        let Some(at) = at else {
            return;
        };
        // CAdES revocationValues (unsigned) and Adobe's revocationInfoArchival (signed, PAdES):
        // the same shape, CRLs under [0].
        let values: Vec<Vec<u8>> =
            unsigned_values(&signer.info, revocation::ID_AA_ETS_REVOCATION_VALUES)
                .chain(
                    signer
                        .info
                        .signed_attrs
                        .iter()
                        .flat_map(|attrs| attrs.iter())
                        .filter(|a| a.oid == revocation::ADBE_REVOCATION_INFO_ARCHIVAL)
                        .flat_map(|a| a.values.iter())
                        .filter_map(|v| v.to_der().ok()),
                )
                .take(revocation::MAX_LISTS)
                .collect();
        let embedded = revocation::Embedded::read(self.crls, &values, self.context.store);
        let complete = report.chain.last().is_some_and(|link| link.is_anchor);
        revocation::check(report, &embedded, &certs, complete, at, self.context.now);
    }

    /// contentType (absent in a counter-signature), messageDigest and signingTime; `false` when
    /// they are malformed.
    fn signed_attributes(
        &self,
        report: &mut SignatureReport,
        attrs: &SignedAttributes,
        content_digest: &[u8],
        covered: Covered<'_>,
    ) -> bool {
        let malformed = |report: &mut SignatureReport, why: &str| {
            report.add(
                FindingCode::MalformedCms,
                format!("The signature is damaged ({why})."),
            );
            false
        };
        let content_type = signed_attrs::single_value(attrs, ID_CONTENT_TYPE);
        match (covered, content_type) {
            (Covered::Content(_), Ok(Some(ct)))
                if ct.decode_as::<ObjectIdentifier>() == Ok(self.content_type) => {}
            (Covered::SignatureValue(_), Ok(None)) => {}
            (_, Err(e)) => return malformed(report, &e.to_string()),
            _ => return malformed(report, "the signed content type does not match the content"),
        }
        let signed_digest = match signed_attrs::single_value(attrs, ID_MESSAGE_DIGEST) {
            Ok(Some(d)) => match d.decode_as::<OctetStringRef<'_>>() {
                Ok(d) => d.as_bytes().to_vec(),
                Err(_) => return malformed(report, "the signed digest is unreadable"),
            },
            Ok(None) => return malformed(report, "the signed digest is missing"),
            Err(e) => return malformed(report, &e.to_string()),
        };
        match signed_attrs::single_value(attrs, ID_SIGNING_TIME) {
            Ok(Some(t)) => report.signed_at = time::from_any(t),
            Ok(None) => {}
            Err(e) => return malformed(report, &e.to_string()),
        }
        if signed_digest != content_digest {
            report.add(
                FindingCode::ContentDigestMismatch,
                match covered {
                    Covered::Content(_) => "The document was changed after it was signed.",
                    Covered::SignatureValue(_) => "The signature this counter-signature covers was changed after it was counter-signed.",
                },
            );
        }
        true
    }
}

/// The DER values of the unsigned attribute `oid`.
fn unsigned_values(info: &SignerInfo, oid: ObjectIdentifier) -> impl Iterator<Item = Vec<u8>> + '_ {
    info.unsigned_attrs
        .iter()
        .flat_map(|attrs| attrs.iter())
        .filter(move |a| a.oid == oid)
        .flat_map(|a| a.values.iter())
        .filter_map(|v| v.to_der().ok())
}

/// A counter-signature value is a SignerInfo (RFC 5652 §11.4); checked to decode as one.
fn countersigner(value: &[u8]) -> Option<Vec<u8>> {
    SignerInfo::from_der(value).ok().map(|_| value.to_vec())
}

fn unreadable_countersignature() -> DocumentSignature {
    let mut report = SignatureReport::new();
    report.add(
        FindingCode::MalformedCms,
        "A counter-signature in the file is damaged and could not be read.",
    );
    DocumentSignature {
        report: report.finish(),
        timestamp: None,
        time_basis: TimeBasis::None,
        judged_at: None,
        countersignatures: Vec::new(),
        path: Vec::new(),
    }
}

/// The encapsulated content type of a CMS SignedData (DER), or `None` when it is not one.
pub fn content_type_of(der: &[u8]) -> Option<ObjectIdentifier> {
    let ci = signed_data::content_info(der).ok()?;
    SignedData::read(&ci).ok().map(|sd| sd.content_type)
}
