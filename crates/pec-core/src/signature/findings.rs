//! Findings: the stable reasons behind a verdict, and how each one weighs on the status.
//!
//! Status precedence (PEC rules §6, issue "signature verifier"): malformed or unsupported →
//! indeterminate; digest or signature mismatch → invalid; chain problems → untrusted; else
//! valid. Legacy algorithms (SHA-1, RSA-1024) are warnings, never failures: PEC evidence
//! signed with them is still good evidence.

use serde::Serialize;

use super::report::SignatureStatus;

crate::closed_set! {
    /// What a finding is about. Closed set; the kebab-case string is stable (UI and archive key).
    #[serde(rename = "SignatureFindingCode")] // the TypeScript name (two sets share the Rust one)
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum FindingCode {
        // Informational.
        /// The `.p7s` used BER (indefinite lengths, chunked strings) and was normalised to DER.
        BerNormalised = "ber-normalised",
        /// The signed attributes were not in DER order; they were checked re-sorted.
        SignedAttributesReencoded = "signed-attributes-reencoded",
        /// The signer certificate has expired since (after) the signature; the signature stands.
        SignerCertificateExpiredSince = "signer-certificate-expired-since",
        /// More than one SignerInfo; only the first was checked.
        MultipleSigners = "multiple-signers",
        /// The message arrived (INTERNALDATE, first seen) days after its signingTime (issue 13 §4).
        ReceivedLongAfterSigning = "received-long-after-signing",
        /// The RSA DigestInfo omits the hash algorithm's NULL parameters (some 2010–2014 signing
        /// devices); the hash itself matches (issue 15).
        DigestInfoWithoutNull = "digest-info-without-null",
        /// The signed attributes do not name the signer's certificate (plain PKCS#7, not CAdES): the
        /// signature itself does not rule out a substituted certificate with the same key (issue 15).
        NoSigningCertificateBinding = "no-signing-certificate-binding",
        /// No revocation information (CRL, OCSP) in the file covers the path at the time judged (or
        /// there is none), so revocation was not checked (issue 15: said plainly, never pretended).
        RevocationNotChecked = "revocation-not-checked",
        /// CRLs or OCSP responses in the file show that no certificate of the signer's path (but
        /// the anchor) had been revoked at the time the verdict rests on (issue 15, `revocation.rs`).
        RevocationChecked = "revocation-checked",
        /// A certificate of the path was revoked or suspended after the time the verdict rests on;
        /// the signature stands (issue 15).
        CertificateRevokedSince = "certificate-revoked-since",
        /// The signature carries a timestamp; the verdict rests on the timestamp's time (issue 15).
        TimestampedSignature = "timestamped-signature",
        // Warnings.
        /// The digest is SHA-1: acceptable for past evidence, legacy today.
        LegacyDigestSha1 = "legacy-digest-sha1",
        /// The signer's RSA key is shorter than 2048 bits (RSA-1024 in 2013–2015 PEC).
        LegacyKeyRsa1024 = "legacy-key-rsa-1024",
        /// The certificate's e-mail is not the message's From address.
        SignerEmailMismatch = "signer-email-mismatch",
        /// The signingTime is later than the message's arrival (IMAP INTERNALDATE or the archive's first
        /// sight), beyond clock skew (issue 13 §4).
        SigningTimeAfterArrival = "signing-time-after-arrival",
        /// The signingTime and the signed daticert's time are more than ten minutes apart (issue 13 §4).
        SigningTimeDisagreesWithDaticert = "signing-time-disagrees-with-daticert",
        /// The digest is MD5 or RIPEMD-160, weaker than SHA-1: checked, reported (issue 15).
        WeakDigest = "weak-digest",
        /// A timestamp is attached but could not be used (damaged, untrusted, or not over this
        /// signature): the verdict rests on the signer's claimed time instead (issue 15).
        TimestampNotUsable = "timestamp-not-usable",
        /// A PDF was extended after this signature (later signatures or edits): the signature covers
        /// an earlier version of the file (issue 15).
        LaterRevisions = "later-revisions",
        /// Revocation data in the file could not be read or is not signed by the authority it names:
        /// ignored, never trusted (issue 15).
        RevocationDataUnusable = "revocation-data-unusable",
        // Invalid.
        /// The content digest differs from the signed messageDigest: the content was altered.
        ContentDigestMismatch = "content-digest-mismatch",
        /// The signature value does not match the signed data and the signer key.
        SignatureMismatch = "signature-mismatch",
        /// The message around the signed bytes was altered so that it reads in more than one way (a second
        /// signed entity, parts only a lenient reader sees, two daticert): nothing in it is certified, even
        /// though the provider's signature over its own bytes still matches (issue 13 §1).
        AmbiguousMessage = "ambiguous-message",
        /// The signingTime is later than the time of checking, beyond clock skew: the signer chose a time
        /// that has not come yet, so no certificate is judged at it (issue 13 §4).
        SigningTimeInFuture = "signing-time-in-future",
        /// The signed attributes name a certificate other than the one that verifies the signature
        /// (ESS signing-certificate, RFC 5035): a substituted certificate (issue 15).
        SigningCertificateMismatch = "signing-certificate-mismatch",
        /// A timestamp token does not cover the data it is presented with (its imprint differs)
        /// (issue 15).
        TimestampImprintMismatch = "timestamp-imprint-mismatch",
        /// A PDF signature's byte ranges do not cover the file around its own signature value
        /// (overlapping, out of the file, or not pointing at the signature): the file was rewritten
        /// after signing, or built to show other content than was signed (issue 15).
        ByteRangeInvalid = "byte-range-invalid",
        // Untrusted.
        /// No chain from the signer to a trusted PEC CA.
        NoPathToAnchor = "no-path-to-anchor",
        /// A certificate of the path was not valid at signingTime.
        CertificateNotValidAtSigningTime = "certificate-not-valid-at-signing-time",
        /// A certificate names an issuer whose key did not sign it (a look-alike CA).
        IssuerSignatureInvalid = "issuer-signature-invalid",
        /// A certificate used as an issuer is not a CA certificate.
        IssuerNotACa = "issuer-not-a-ca",
        /// The signer certificate does not allow digital signatures.
        MissingDigitalSignatureKeyUsage = "missing-digital-signature-key-usage",
        /// The signer certificate has an extended key usage without e-mail protection.
        MissingEmailProtectionEku = "missing-email-protection-eku",
        /// No signingTime attribute: certificate validity cannot be judged.
        NoSigningTime = "no-signing-time",
        /// The certificates are valid at the claimed signingTime but not at the time independent evidence
        /// (arrival, daticert) puts the signature at: the signature holds only by the signer's word
        /// (issue 13 §4).
        SigningTimeContradicted = "signing-time-contradicted",
        /// A certificate of the path has an extension that does not decode, or a critical extension this
        /// verifier does not know: the certificate is unusable, not unrestricted (issue 13 §5).
        CertificateExtensionUnusable = "certificate-extension-unusable",
        /// A timestamp authority's certificate is not meant for timestamping (RFC 3161 §2.3: the
        /// extended key usage must be timeStamping alone) (issue 15).
        MissingTimeStampingEku = "missing-time-stamping-eku",
        /// A CRL or OCSP response in the file, signed by the issuer, says a certificate of the path was
        /// revoked (or suspended) at or before the time the verdict rests on (issue 15). Untrusted,
        /// not invalid: the signature matches its content; the certificate is what fails, as for
        /// a certificate expired at signing time.
        CertificateRevoked = "certificate-revoked",
        // Indeterminate.
        /// The `.p7s` is not a well-formed CMS SignedData.
        MalformedCms = "malformed-cms",
        /// An algorithm this verifier does not implement.
        UnsupportedAlgorithm = "unsupported-algorithm",
        /// The signer certificate is not embedded in the `.p7s`.
        SignerCertificateNotFound = "signer-certificate-not-found",
        /// The file is not a signed document this program knows (issue 15).
        NotASignedFile = "not-a-signed-file",
    }
}

crate::closed_set! {
    /// How a finding weighs on the status.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Severity {
        Info = "info",
        Warning = "warning",
        Untrusted = "untrusted",
        Invalid = "invalid",
        Indeterminate = "indeterminate",
    }
}

impl FindingCode {
    pub fn severity(self) -> Severity {
        use FindingCode::*;
        match self {
            BerNormalised
            | SignedAttributesReencoded
            | SignerCertificateExpiredSince
            | MultipleSigners
            | ReceivedLongAfterSigning
            | DigestInfoWithoutNull
            | NoSigningCertificateBinding
            | RevocationNotChecked
            | RevocationChecked
            | CertificateRevokedSince
            | TimestampedSignature => Severity::Info,
            LegacyDigestSha1
            | LegacyKeyRsa1024
            | SignerEmailMismatch
            | SigningTimeAfterArrival
            | SigningTimeDisagreesWithDaticert
            | WeakDigest
            | TimestampNotUsable
            | LaterRevisions
            | RevocationDataUnusable => Severity::Warning,
            ContentDigestMismatch
            | SignatureMismatch
            | AmbiguousMessage
            | SigningTimeInFuture
            | SigningCertificateMismatch
            | TimestampImprintMismatch
            | ByteRangeInvalid => Severity::Invalid,
            NoPathToAnchor
            | CertificateNotValidAtSigningTime
            | IssuerSignatureInvalid
            | IssuerNotACa
            | MissingDigitalSignatureKeyUsage
            | MissingEmailProtectionEku
            | NoSigningTime
            | SigningTimeContradicted
            | CertificateExtensionUnusable
            | MissingTimeStampingEku
            | CertificateRevoked => Severity::Untrusted,
            MalformedCms | UnsupportedAlgorithm | SignerCertificateNotFound | NotASignedFile => {
                Severity::Indeterminate
            }
        }
    }
}

/// One reason, with a short plain-English message (the UI words its own from `code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SignatureFinding {
    pub code: FindingCode,
    pub severity: Severity,
    pub message: String,
}

impl SignatureFinding {
    pub fn new(code: FindingCode, message: impl Into<String>) -> Self {
        SignatureFinding {
            code,
            severity: code.severity(),
            message: message.into(),
        }
    }
}

/// The status the findings add up to.
pub fn status_of(findings: &[SignatureFinding]) -> SignatureStatus {
    match findings.iter().map(|f| f.severity).max() {
        Some(Severity::Indeterminate) => SignatureStatus::Indeterminate,
        Some(Severity::Invalid) => SignatureStatus::Invalid,
        Some(Severity::Untrusted) => SignatureStatus::Untrusted,
        Some(Severity::Info | Severity::Warning) | None => SignatureStatus::Valid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(code: FindingCode) -> SignatureFinding {
        SignatureFinding::new(code, "")
    }

    #[test]
    fn legacy_algorithms_never_make_a_good_signature_bad() {
        let s = status_of(&[
            f(FindingCode::LegacyDigestSha1),
            f(FindingCode::LegacyKeyRsa1024),
        ]);
        assert_eq!(s, SignatureStatus::Valid);
    }

    #[test]
    fn malformed_wins_over_mismatch_which_wins_over_trust() {
        let all = [
            f(FindingCode::NoPathToAnchor),
            f(FindingCode::SignatureMismatch),
            f(FindingCode::MalformedCms),
        ];
        assert_eq!(status_of(&all), SignatureStatus::Indeterminate);
        assert_eq!(status_of(&all[..2]), SignatureStatus::Invalid);
        assert_eq!(status_of(&all[..1]), SignatureStatus::Untrusted);
    }

    #[test]
    fn codes_serialise_in_kebab_case() {
        let json = serde_json::to_string(&FindingCode::LegacyKeyRsa1024).unwrap();
        assert_eq!(json, "\"legacy-key-rsa-1024\"");
        let json = serde_json::to_string(&FindingCode::CertificateNotValidAtSigningTime).unwrap();
        assert_eq!(json, "\"certificate-not-valid-at-signing-time\"");
    }
}
