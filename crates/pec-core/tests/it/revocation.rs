//! Revocation from the CRLs a signed document carries (issue 15): a test CA made with the `openssl`
//! binary issues a signer, `openssl ca -gencrl` lists it (or not), and the CRL is put into the
//! SignedData's `crls` (or the signer's revocationValues) the way a CAdES-LT signer would.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use cms::content_info::ContentInfo;
use cms::revocation::{RevocationInfoChoice, RevocationInfoChoices};
use cms::signed_data::SignedData;
use der::asn1::{ObjectIdentifier, SetOfVec};
use der::{Any, Decode, Encode};
use pec_core::signature::{
    CmsDocument, DocumentContext, FindingCode, SignatureStatus, TrustAnchors, verify_cms_document,
};
use pec_testkit::pki::openssl_available;
use x509_cert::attr::Attribute;
use x509_cert::crl::CertificateList;

const CONFIG: &str = r#"
[ca]
default_ca = test
[test]
dir = .
database = index.txt
serial = serial
crlnumber = crlnumber
new_certs_dir = .
default_md = sha256
default_crl_days = 30
policy = any
unique_subject = no
[any]
countryName = optional
organizationName = optional
commonName = supplied
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_ocsp]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = OCSPSigning
[v3_signer]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
authorityKeyIdentifier = keyid
"#;

/// A CA on disk (its openssl database), with one signer it issued.
struct TestCa {
    dir: tempfile::TempDir,
}

fn run(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

const CA_NAME: &str = "/C=IT/O=Attesta Test/CN=Attesta Test Revocation CA";

impl TestCa {
    fn new() -> TestCa {
        TestCa::with_signer_until("20450101000000Z")
    }

    /// The same, the signer's certificate expiring at `end` (openssl's GeneralizedTime).
    fn with_signer_until(end: &str) -> TestCa {
        let dir = tempfile::Builder::new()
            .prefix("attesta-pki-")
            .tempdir()
            .expect("temporary directory");
        let d = dir.path();
        std::fs::write(d.join("ca.cnf"), CONFIG).unwrap();
        std::fs::write(d.join("index.txt"), "").unwrap();
        std::fs::write(d.join("serial"), "1000\n").unwrap();
        std::fs::write(d.join("crlnumber"), "01\n").unwrap();
        for key in ["ca", "signer", "other"] {
            let out = format!("{key}.key");
            run(
                d,
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    "rsa_keygen_bits:2048",
                    "-out",
                    &out,
                ],
            );
        }
        run(
            d,
            &[
                "req", "-new", "-key", "ca.key", "-subj", CA_NAME, "-out", "ca.csr",
            ],
        );
        run(
            d,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-selfsign",
                "-keyfile",
                "ca.key",
                "-in",
                "ca.csr",
                "-startdate",
                "20100101000000Z",
                "-enddate",
                "20500101000000Z",
                "-extensions",
                "v3_ca",
                "-notext",
                "-out",
                "ca.pem",
            ],
        );
        let signer = "/C=IT/O=Attesta Test/CN=Firmatario di Prova";
        run(
            d,
            &[
                "req",
                "-new",
                "-key",
                "signer.key",
                "-subj",
                signer,
                "-out",
                "signer.csr",
            ],
        );
        run(
            d,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-cert",
                "ca.pem",
                "-keyfile",
                "ca.key",
                "-in",
                "signer.csr",
                "-startdate",
                "20200101000000Z",
                "-enddate",
                end,
                "-extensions",
                "v3_signer",
                "-notext",
                "-out",
                "signer.pem",
            ],
        );
        // A look-alike: the CA's name on another key.
        run(
            d,
            &[
                "req",
                "-new",
                "-x509",
                "-key",
                "other.key",
                "-subj",
                CA_NAME,
                "-days",
                "3650",
                "-out",
                "other.pem",
            ],
        );
        TestCa { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn anchors(&self) -> TrustAnchors {
        let mut anchors = TrustAnchors::empty();
        anchors
            .add_pem(&std::fs::read(self.path("ca.pem")).unwrap())
            .unwrap();
        anchors
    }

    /// Records the signer as revoked on `date` (openssl's UTCTime, `YYMMDDHHMMSSZ`).
    fn revoke_signer(&self, date: &str) {
        let index = std::fs::read_to_string(self.path("index.txt")).unwrap();
        let index: String = index
            .lines()
            .map(|line| {
                let mut fields: Vec<&str> = line.split('\t').collect();
                if line.contains("Firmatario di Prova") {
                    fields[0] = "R";
                    fields[2] = date;
                }
                fields.join("\t") + "\n"
            })
            .collect();
        std::fs::write(self.path("index.txt"), index).unwrap();
    }

    /// A CRL (DER) signed by the CA, or by the look-alike key; `dates` = (thisUpdate, nextUpdate).
    fn crl(&self, by_look_alike: bool, dates: Option<(&str, &str)>) -> Vec<u8> {
        let (cert, key) = match by_look_alike {
            false => ("ca.pem", "ca.key"),
            true => ("other.pem", "other.key"),
        };
        let mut args = vec![
            "ca", "-gencrl", "-config", "ca.cnf", "-cert", cert, "-keyfile", key, "-out", "crl.pem",
        ];
        if let Some((this, next)) = dates {
            args.extend(["-crl_lastupdate", this, "-crl_nextupdate", next]);
        }
        run(self.dir.path(), &args);
        run(
            self.dir.path(),
            &["crl", "-in", "crl.pem", "-outform", "DER"],
        )
    }

    /// A responder certificate the CA issues, with or without the id-kp-OCSPSigning purpose;
    /// returns its (certificate, key) file names.
    fn responder(&self, ocsp_signing: bool) -> (&'static str, &'static str) {
        let d = self.dir.path();
        let subject = "/C=IT/O=Attesta Test/CN=Responder OCSP di Prova";
        run(
            d,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                "responder.key",
            ],
        );
        run(
            d,
            &[
                "req",
                "-new",
                "-key",
                "responder.key",
                "-subj",
                subject,
                "-out",
                "responder.csr",
            ],
        );
        let extensions = if ocsp_signing { "v3_ocsp" } else { "v3_signer" };
        run(
            d,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-cert",
                "ca.pem",
                "-keyfile",
                "ca.key",
                "-in",
                "responder.csr",
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20450101000000Z",
                "-extensions",
                extensions,
                "-notext",
                "-out",
                "responder.pem",
            ],
        );
        ("responder.pem", "responder.key")
    }

    /// An OCSPResponse (DER) about the signer from the CA's database, signed by `signer`.
    fn ocsp(&self, (cert, key): (&str, &str)) -> Vec<u8> {
        let d = self.dir.path();
        run(
            d,
            &[
                "ocsp",
                "-issuer",
                "ca.pem",
                "-cert",
                "signer.pem",
                "-no_nonce",
                "-reqout",
                "req.der",
            ],
        );
        run(
            d,
            &[
                "ocsp",
                "-index",
                "index.txt",
                "-rsigner",
                cert,
                "-rkey",
                key,
                "-CA",
                "ca.pem",
                "-reqin",
                "req.der",
                "-respout",
                "resp.der",
                "-ndays",
                "30",
            ],
        );
        std::fs::read(self.path("resp.der")).unwrap()
    }

    /// An attached CAdES-BES-like signature (openssl writes signingTime = now).
    fn sign(&self, content: &[u8]) -> Vec<u8> {
        std::fs::write(self.path("doc.txt"), content).unwrap();
        run(
            self.dir.path(),
            &[
                "cms",
                "-sign",
                "-binary",
                "-nodetach",
                "-outform",
                "DER",
                "-md",
                "sha256",
                "-in",
                "doc.txt",
                "-signer",
                "signer.pem",
                "-inkey",
                "signer.key",
                "-certfile",
                "ca.pem",
            ],
        )
    }
}

/// The signature with `crls` put into its SignedData's `crls` field.
fn with_crls(cms: &[u8], crls: &[Vec<u8>]) -> Vec<u8> {
    edit(cms, |sd| {
        let choices: Vec<RevocationInfoChoice> = crls
            .iter()
            .map(|c| RevocationInfoChoice::Crl(CertificateList::from_der(c).unwrap()))
            .collect();
        sd.crls = Some(RevocationInfoChoices(SetOfVec::try_from(choices).unwrap()));
    })
}

/// The signature with an OCSP response in its SignedData's `crls` field, as RFC 5940 encodes it:
/// `other [1] { id-ri-ocsp-response, OCSPResponse }` (spliced by hand: `cms` 0.2 models the
/// format identifier as an AlgorithmIdentifier).
fn with_ocsp(cms: &[u8], response: &[u8]) -> Vec<u8> {
    let oid = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2")
        .to_der()
        .unwrap();
    let other = tlv(0xa1, &[oid, response.to_vec()].concat());
    let crls = tlv(0xa1, &other);
    let mut ci = ContentInfo::from_der(cms).expect("openssl writes DER");
    let mut r = der::SliceReader::new(ci.content.value()).unwrap();
    let mut fields = Vec::new();
    while !der::Reader::is_finished(&r) {
        fields.push(der::Reader::tlv_bytes(&mut r).unwrap().to_vec());
    }
    let signer_infos = fields.pop().unwrap();
    fields.extend([crls, signer_infos]);
    ci.content = Any::from_der(&tlv(0x30, &fields.concat())).unwrap();
    ci.to_der().unwrap()
}

fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    der::Length::try_from(body.len())
        .unwrap()
        .encode_to_vec(&mut out)
        .unwrap();
    out.extend_from_slice(body);
    out
}

/// The signature with `crl` in its signer's unsigned id-aa-ets-revocationValues (RFC 5126 §6.3.4).
fn with_revocation_values(cms: &[u8], crl: &[u8]) -> Vec<u8> {
    let values = tlv(0x30, &tlv(0xa0, &tlv(0x30, crl)));
    edit(cms, |sd| {
        let attribute = Attribute {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.24"),
            values: SetOfVec::try_from(vec![Any::from_der(&values).unwrap()]).unwrap(),
        };
        let mut infos: Vec<_> = sd.signer_infos.0.iter().cloned().collect();
        infos[0].unsigned_attrs = Some(SetOfVec::try_from(vec![attribute]).unwrap());
        sd.signer_infos.0 = SetOfVec::try_from(infos).unwrap();
    })
}

fn edit(cms: &[u8], change: impl FnOnce(&mut SignedData)) -> Vec<u8> {
    let mut ci = ContentInfo::from_der(cms).expect("openssl writes DER");
    let mut sd: SignedData = ci.content.decode_as().unwrap();
    change(&mut sd);
    ci.content = Any::encode_from(&sd).unwrap();
    ci.to_der().unwrap()
}

fn verify(ca: &TestCa, cms: &[u8], stamped_at: Option<DateTime<Utc>>) -> CmsDocument {
    verify_cms_document(
        cms,
        &ca.anchors(),
        DocumentContext {
            detached: None,
            claimed_time: None,
            stamped_at,
            now: std::time::SystemTime::now().into(),
            store: None,
        },
    )
}

fn codes(doc: &CmsDocument) -> Vec<FindingCode> {
    doc.signatures[0]
        .report
        .findings
        .iter()
        .map(|f| f.code)
        .collect()
}

fn status(doc: &CmsDocument) -> SignatureStatus {
    doc.signatures[0].report.status
}

fn at(year: i32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(year, 6, 1, 12, 0, 0).single()
}

macro_rules! needs_openssl {
    () => {
        if !openssl_available() {
            eprintln!("SKIPPED: openssl is not available");
            return;
        }
    };
}

#[test]
fn a_signature_without_revocation_data_says_revocation_was_not_checked() {
    needs_openssl!();
    let ca = TestCa::new();
    let doc = verify(&ca, &ca.sign(b"contratto"), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_from_the_issuer_listing_nothing_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = TestCa::new();
    let signed = with_crls(&ca.sign(b"contratto"), &[ca.crl(false, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationNotChecked));
}

#[test]
fn the_same_crl_in_the_signers_revocation_values_counts_too() {
    needs_openssl!();
    let ca = TestCa::new();
    let signed = with_revocation_values(&ca.sign(b"contratto"), &ca.crl(false, None));
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_signer_revoked_before_signing_is_not_valid() {
    needs_openssl!();
    let ca = TestCa::new();
    ca.revoke_signer("210101000000Z,keyCompromise");
    let signed = with_crls(&ca.sign(b"contratto"), &[ca.crl(false, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Untrusted);
    let revoked = doc.signatures[0]
        .report
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CertificateRevoked)
        .expect("the revocation is reported");
    assert!(
        revoked.message.contains("2021-01-01"),
        "{}",
        revoked.message
    );
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_signer_revoked_after_the_time_the_signature_is_judged_at_stands() {
    needs_openssl!();
    let ca = TestCa::new();
    ca.revoke_signer("230101000000Z,keyCompromise");
    let signed = with_crls(&ca.sign(b"contratto"), &[ca.crl(false, None)]);
    // A timestamp (here: over the whole file) puts the signature in 2022.
    let doc = verify(&ca, &signed, at(2022));
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::CertificateRevokedSince));
    assert!(codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_signed_by_a_look_alike_key_is_ignored_with_a_warning() {
    needs_openssl!();
    let ca = TestCa::new();
    ca.revoke_signer("210101000000Z,keyCompromise");
    let signed = with_crls(&ca.sign(b"contratto"), &[ca.crl(true, None)]);
    let doc = verify(&ca, &signed, None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::CertificateRevoked));
}

#[test]
fn a_crl_that_expired_before_the_signature_proves_nothing() {
    needs_openssl!();
    let ca = TestCa::new();
    let stale = ca.crl(false, Some(("210101000000Z", "210201000000Z")));
    let doc = verify(&ca, &with_crls(&ca.sign(b"contratto"), &[stale]), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn a_crl_current_at_the_time_of_signing_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = TestCa::new();
    let current = ca.crl(false, Some(("220501000000Z", "220701000000Z")));
    let doc = verify(
        &ca,
        &with_crls(&ca.sign(b"contratto"), &[current]),
        at(2022),
    );
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn damaged_revocation_data_is_a_warning_never_a_panic() {
    needs_openssl!();
    let ca = TestCa::new();
    let mut crl = ca.crl(false, None);
    let last = crl.len() - 1;
    crl[last] ^= 0xff; // the signature's last octet
    let doc = verify(&ca, &with_crls(&ca.sign(b"contratto"), &[crl]), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
}

#[test]
fn an_ocsp_response_from_the_ca_saying_good_shows_the_signer_was_not_revoked() {
    needs_openssl!();
    let ca = TestCa::new();
    let signed = ca.sign(b"contratto");
    let response = ca.ocsp(("ca.pem", "ca.key"));
    let doc = verify(&ca, &with_ocsp(&signed, &response), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

#[test]
fn an_authorised_responder_saying_revoked_before_signing_makes_the_signature_not_valid() {
    needs_openssl!();
    let ca = TestCa::new();
    let responder = ca.responder(true);
    ca.revoke_signer("210101000000Z,keyCompromise");
    let signed = ca.sign(b"contratto");
    let doc = verify(&ca, &with_ocsp(&signed, &ca.ocsp(responder)), None);
    assert_eq!(
        status(&doc),
        SignatureStatus::Untrusted,
        "{:?}",
        codes(&doc)
    );
    assert!(codes(&doc).contains(&FindingCode::CertificateRevoked));
}

#[test]
fn a_responder_the_ca_did_not_authorise_for_ocsp_is_not_believed() {
    needs_openssl!();
    let ca = TestCa::new();
    let responder = ca.responder(false);
    let signed = ca.sign(b"contratto");
    let doc = verify(&ca, &with_ocsp(&signed, &ca.ocsp(responder)), None);
    assert_eq!(status(&doc), SignatureStatus::Valid, "{:?}", codes(&doc));
    assert!(codes(&doc).contains(&FindingCode::RevocationDataUnusable));
    assert!(codes(&doc).contains(&FindingCode::RevocationNotChecked));
    assert!(!codes(&doc).contains(&FindingCode::RevocationChecked));
}

#[test]
fn absence_from_a_crl_issued_after_the_certificate_expired_proves_nothing() {
    needs_openssl!();
    let ca = TestCa::with_signer_until("20240101000000Z");
    let signed = ca.sign(b"contratto");
    // Expired certificates may be dropped from later lists (RFC 5280 §3.3).
    let late = verify(&ca, &with_crls(&signed, &[ca.crl(false, None)]), at(2022));
    assert!(says_revocation_was_not_checked(&late), "{:?}", codes(&late));
    let then = ca.crl(false, Some(("220501000000Z", "220701000000Z")));
    let doc = verify(&ca, &with_crls(&signed, &[then]), at(2022));
    assert!(
        codes(&doc).contains(&FindingCode::RevocationChecked),
        "{:?}",
        codes(&doc)
    );
}

fn says_revocation_was_not_checked(doc: &CmsDocument) -> bool {
    codes(doc).contains(&FindingCode::RevocationNotChecked)
        && !codes(doc).contains(&FindingCode::RevocationChecked)
}
