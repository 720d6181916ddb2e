//! Signing an ERDS evidence the way the AgID kit's providers do (ETSI EN 319 522-4-1 with XAdES
//! baseline, EN 319 132-1): an enveloped `ds:Signature` as the evidence's last child, exclusive C14N,
//! RSA-SHA256, two references — the whole evidence minus the signature (enveloped transform) and the
//! signature's own `SignedProperties` (`SigningTime`, `SigningCertificateV2` naming the signer by its
//! certificate's digest) — the signer and CA certificates in `KeyInfo`, and a `SignatureTimeStamp` from
//! the lab TSA over the canonical `SignatureValue` element (XAdES-B-T).
//!
//! Every digest is taken over the canonical form of a node set of the parsed document, with the same
//! plumbing pec-rem's verifier uses (`pec_trusted_list::xml`: parse, `canonical`), so the lab and the
//! verifier cannot disagree on what a reference covers. xmlsec1 checks the result independently
//! (`tests/it/rem.rs`).

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use pec_trusted_list::xml::{self as x, DS, XADES};
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding as _, Signer as _};
use sha2::{Digest, Sha256};
use xml_sec::c14n::{C14nAlgorithm, C14nMode};
use xml_sec::{Document, Node};

use super::tsa::LabTsa;
use crate::LabError;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// Stand-ins replaced once the value they hold is known (never inside what they help compute).
const EVIDENCE_DIGEST: &str = "@@evidence-digest@@";
const PROPERTIES_DIGEST: &str = "@@properties-digest@@";
const SIGNATURE_VALUE: &str = "@@signature-value@@";

/// A provider's key and certificates for signing evidence.
pub struct XadesSigner {
    key: SigningKey<Sha256>,
    cert_der: Vec<u8>,
    ca_der: Vec<u8>,
}

fn fail(e: impl std::fmt::Display) -> LabError {
    LabError::Sign(format!("evidence: {e}"))
}

fn pem_der(pem: &str) -> Result<Vec<u8>, LabError> {
    der::pem::decode_vec(pem.as_bytes())
        .map(|(_, der)| der)
        .map_err(fail)
}

impl XadesSigner {
    /// From the provider's PKCS#8 key, its certificate and the CA's (PEM).
    pub fn from_pem(key_pem: &str, cert_pem: &str, ca_pem: &str) -> Result<XadesSigner, LabError> {
        let key = rsa::RsaPrivateKey::from_pkcs8_der(&pem_der(key_pem)?).map_err(fail)?;
        Ok(XadesSigner {
            key: SigningKey::<Sha256>::new(key),
            cert_der: pem_der(cert_pem)?,
            ca_der: pem_der(ca_pem)?,
        })
    }

    /// `unsigned` (an evidence whose root element ends with `</tns:Evidence>`) signed at `at`, with
    /// `id` making the signature's Ids unique, stamped by `tsa` at `at`.
    pub fn sign(
        &self,
        unsigned: &str,
        id: &str,
        at: DateTime<Utc>,
        tsa: &LabTsa,
    ) -> Result<String, LabError> {
        let end = unsigned
            .rfind("</tns:Evidence>")
            .ok_or_else(|| fail("no </tns:Evidence>"))?;
        let signature = self.skeleton(id, at);
        let mut doc = format!("{}{signature}{}", &unsigned[..end], &unsigned[end..]);

        // 1. The two references' digests (neither covers the stand-ins).
        let (evidence, properties) = {
            let tree = parse(&doc)?;
            let sig = signature_of(&tree)?;
            let properties = tree
                .descendants()
                .find(|n| x::is(*n, XADES, "SignedProperties"))
                .ok_or_else(|| fail("no SignedProperties"))?;
            let (sig_id, props_id) = (sig.id(), properties.id());
            (
                digest(&tree, |n| !x::within(n, sig_id))?,
                digest(&tree, |n| x::within(n, props_id))?,
            )
        };
        doc =
            doc.replacen(EVIDENCE_DIGEST, &evidence, 1)
                .replacen(PROPERTIES_DIGEST, &properties, 1);

        // 2. The signature value over the canonical SignedInfo.
        let value = {
            let tree = parse(&doc)?;
            let sig = signature_of(&tree)?;
            let signed_info =
                x::child(sig, DS, "SignedInfo").ok_or_else(|| fail("no SignedInfo"))?;
            let id = signed_info.id();
            let bytes = canonical(&tree, |n| x::within(n, id))?;
            B64.encode(self.key.sign(&bytes).to_bytes())
        };
        doc = doc.replacen(SIGNATURE_VALUE, &value, 1);

        // 3. The signature timestamp over the canonical SignatureValue element.
        let token = {
            let tree = parse(&doc)?;
            let sig = signature_of(&tree)?;
            let node = x::child(sig, DS, "SignatureValue").ok_or_else(|| fail("no value"))?;
            let id = node.id();
            tsa.stamp(&canonical(&tree, |n| x::within(n, id))?, at)?
        };
        let unsigned_properties = format!(
            concat!(
                r##"<xades:UnsignedProperties><xades:UnsignedSignatureProperties>"##,
                r##"<xades:SignatureTimeStamp Id="ts-{id}"><ds:CanonicalizationMethod Algorithm="{c14n}"/>"##,
                r##"<xades:EncapsulatedTimeStamp>{token}</xades:EncapsulatedTimeStamp></xades:SignatureTimeStamp>"##,
                r#"</xades:UnsignedSignatureProperties></xades:UnsignedProperties>"#
            ),
            id = id,
            c14n = EXC_C14N,
            token = B64.encode(token),
        );
        let close = doc
            .rfind("</xades:QualifyingProperties>")
            .ok_or_else(|| fail("no QualifyingProperties"))?;
        doc.insert_str(close, &unsigned_properties);
        Ok(doc)
    }

    /// The signature with stand-ins for what is computed later.
    fn skeleton(&self, id: &str, at: DateTime<Utc>) -> String {
        let cert_digest = B64.encode(Sha256::digest(&self.cert_der));
        format!(
            concat!(
                r##"<ds:Signature Id="sig-{id}"><ds:SignedInfo>"##,
                r##"<ds:CanonicalizationMethod Algorithm="{c14n}"/>"##,
                r##"<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>"##,
                r##"<ds:Reference Id="ref-{id}-1" URI=""><ds:Transforms>"##,
                r##"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"##,
                r##"<ds:Transform Algorithm="{c14n}"/></ds:Transforms>"##,
                r##"<ds:DigestMethod Algorithm="{sha256}"/><ds:DigestValue>{d1}</ds:DigestValue></ds:Reference>"##,
                r##"<ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#xades-{id}">"##,
                r##"<ds:Transforms><ds:Transform Algorithm="{c14n}"/></ds:Transforms>"##,
                r##"<ds:DigestMethod Algorithm="{sha256}"/><ds:DigestValue>{d2}</ds:DigestValue></ds:Reference>"##,
                r##"</ds:SignedInfo><ds:SignatureValue Id="value-{id}">{sv}</ds:SignatureValue>"##,
                r##"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>"##,
                r##"<ds:X509Certificate>{ca}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"##,
                r##"<ds:Object><xades:QualifyingProperties xmlns:xades="{xades}" Target="#sig-{id}">"##,
                r##"<xades:SignedProperties Id="xades-{id}"><xades:SignedSignatureProperties>"##,
                r##"<xades:SigningTime>{at}</xades:SigningTime><xades:SigningCertificateV2><xades:Cert>"##,
                r##"<xades:CertDigest><ds:DigestMethod Algorithm="{sha256}"/>"##,
                r##"<ds:DigestValue>{cert_digest}</ds:DigestValue></xades:CertDigest></xades:Cert>"##,
                r##"</xades:SigningCertificateV2></xades:SignedSignatureProperties>"##,
                r##"<xades:SignedDataObjectProperties><xades:DataObjectFormat ObjectReference="#ref-{id}-1">"##,
                r##"<xades:MimeType>text/xml</xades:MimeType></xades:DataObjectFormat>"##,
                r##"</xades:SignedDataObjectProperties></xades:SignedProperties>"##,
                r#"</xades:QualifyingProperties></ds:Object></ds:Signature>"#
            ),
            id = id,
            c14n = EXC_C14N,
            sha256 = SHA256,
            d1 = EVIDENCE_DIGEST,
            d2 = PROPERTIES_DIGEST,
            sv = SIGNATURE_VALUE,
            cert = B64.encode(&self.cert_der),
            ca = B64.encode(&self.ca_der),
            xades = XADES,
            at = at.to_rfc3339_opts(SecondsFormat::Secs, true),
            cert_digest = cert_digest,
        )
    }
}

fn parse(doc: &str) -> Result<Document<'_>, LabError> {
    x::parse(doc.as_bytes()).map_err(fail)
}

fn signature_of<'a, 'i>(doc: &'a Document<'i>) -> Result<Node<'a, 'i>, LabError> {
    let root = doc.root_element();
    x::child(root, DS, "Signature").ok_or_else(|| fail("no Signature"))
}

/// Exclusive C14N 1.0 without comments of the nodes `visible` keeps.
fn canonical(
    doc: &Document<'_>,
    visible: impl Fn(Node<'_, '_>) -> bool,
) -> Result<Vec<u8>, LabError> {
    x::canonical(
        doc,
        &C14nAlgorithm::new(C14nMode::Exclusive1_0, false),
        visible,
    )
    .map_err(fail)
}

fn digest(doc: &Document<'_>, visible: impl Fn(Node<'_, '_>) -> bool) -> Result<String, LabError> {
    Ok(B64.encode(Sha256::digest(canonical(doc, visible)?)))
}
