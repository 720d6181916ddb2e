//! Validation data a document keeps beside its signatures, outside every CMS: a PDF's document
//! security store (DSS, PAdES-LT/LTA, ETSI EN 319 142-1 §5.4.2), read by pec-document and handed
//! to each signature's revocation check through [`DocumentContext`](super::DocumentContext).
//!
//! Nothing in it is trusted for being there: the DSS is added after signing and signed by nobody.
//! Its CRLs and OCSP responses are used under the same rules as those inside the CMS
//! (`revocation.rs`: signed by the certificate's issuer or an authorised responder, fresh for the
//! time judged); its certificates only help find the key of an issuer the path lacks, and are never
//! trust anchors.

/// The CRLs, OCSP responses and certificates of a PDF's document security store, each as encoded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityStore {
    /// CertificateList DER (RFC 5280 §5).
    pub crls: Vec<Vec<u8>>,
    /// OCSPResponse DER (RFC 6960 §4.2.1).
    pub ocsps: Vec<Vec<u8>>,
    /// Certificate DER.
    pub certificates: Vec<Vec<u8>>,
    /// CRL or OCSP streams the store names but that could not be read (or a store that could not
    /// be read at all).
    pub unreadable: usize,
}
