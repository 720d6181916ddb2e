//! A test PKI that really signs: an rcgen certification authority, a provider certificate it issues,
//! and CMS signatures made by the `openssl` binary (an independent implementation, tests only).
//!
//! Nothing here is ever trusted by Attesta by default: a test adds [`TestPki::ca_pem`] to its own
//! trust anchors, exactly as a user would with `attesta trust add`.

use std::path::{Path, PathBuf};
use std::process::Command;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType, date_time_ymd,
};

use crate::Signer;

/// Which name the test CA carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaName {
    /// "Attesta Test PEC CA": plainly a test CA.
    Test,
    /// An exact copy of AgID CA1's name, with a different key: a look-alike.
    AgidLookalike,
}

/// What to issue.
#[derive(Debug, Clone)]
pub struct PkiSpec {
    pub ca_name: CaName,
    /// The provider's service address, put in the certificate's SubjectAltName.
    pub signer_email: String,
    /// Validity of the provider certificate, (year, month, day) inclusive.
    pub signer_valid: ((i32, u8, u8), (i32, u8, u8)),
    /// `openssl cms -md` digest (`sha256`, `sha1`, …).
    pub digest: &'static str,
    /// Give the provider certificate a critical extension of a private OID that no verifier knows
    /// (issue 13 §5: such a certificate must be unusable).
    pub unknown_critical_extension: bool,
}

/// The private OID of [`PkiSpec::unknown_critical_extension`].
pub const UNKNOWN_EXTENSION_OID: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 13];

impl PkiSpec {
    /// A test CA and a provider certificate valid from 2020 to 2045, signing with SHA-256.
    pub fn provider(signer_email: &str) -> PkiSpec {
        PkiSpec {
            ca_name: CaName::Test,
            signer_email: signer_email.to_owned(),
            signer_valid: ((2020, 1, 1), (2045, 1, 1)),
            digest: "sha256",
            unknown_critical_extension: false,
        }
    }

    /// The same, but the provider certificate ends tomorrow (UTC): valid when `openssl` signs now,
    /// expired three days later — the forger's key of issue 13 §4.
    pub fn provider_ending_tomorrow(signer_email: &str) -> PkiSpec {
        use chrono::Datelike;
        let now: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
        let t = now + chrono::Duration::days(1);
        PkiSpec {
            signer_valid: ((2020, 1, 1), (t.year(), t.month() as u8, t.day() as u8)),
            ..PkiSpec::provider(signer_email)
        }
    }
}

/// A CA and one provider signer, kept in memory: each signature is made in a folder of its own that is
/// removed at once, so a PKI kept for a whole test run (a `static`, never dropped) leaves no folder
/// behind (issue 16 §7).
pub struct TestPki {
    /// The CA certificate, PEM: add it to trust anchors to trust this PKI.
    pub ca_pem: String,
    signer_cert_pem: String,
    signer_key_pem: String,
    digest: &'static str,
}

/// A private temporary folder with Attesta's prefix (what `scripts/test` looks for after the suite).
pub(crate) fn work_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("attesta-pki-")
        .tempdir()
        .expect("temporary directory")
}

/// True when the `openssl` binary can be run (tests say SKIPPED otherwise).
pub fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

pub(crate) fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().expect("openssl runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A 2048-bit RSA key made by openssl (ring cannot generate RSA keys), loaded into rcgen.
fn rsa_key(dir: &Path, name: &str) -> (KeyPair, PathBuf) {
    let path = dir.join(format!("{name}.key"));
    run(Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
        ])
        .arg("-out")
        .arg(&path));
    let pem = std::fs::read_to_string(&path).expect("key written");
    (KeyPair::from_pem(&pem).expect("openssl key loads"), path)
}

fn name(pairs: &[(DnType, &str)]) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("IT".try_into().expect("printable")),
    );
    for (t, v) in pairs {
        dn.push(t.clone(), *v);
    }
    dn
}

impl TestPki {
    /// Issue a CA and a provider certificate. Panics if openssl is missing (check
    /// [`openssl_available`] first).
    pub fn new(spec: &PkiSpec) -> TestPki {
        let dir = work_dir();
        let (ca_key, _) = rsa_key(dir.path(), "ca");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
        ca.distinguished_name = match spec.ca_name {
            CaName::Test => name(&[
                (DnType::OrganizationName, "Attesta Test"),
                (DnType::CommonName, "Attesta Test PEC CA"),
            ]),
            CaName::AgidLookalike => name(&[
                (DnType::LocalityName, "Roma"),
                (DnType::OrganizationName, "Agenzia per l'Italia Digitale"),
                (
                    DnType::OrganizationalUnitName,
                    "Area Soluzioni per la Pubblica Amministrazione",
                ),
                (DnType::CommonName, "AgID CA1"),
            ]),
        };
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.not_before = date_time_ymd(2010, 1, 1);
        ca.not_after = date_time_ymd(2050, 1, 1);
        let ca_cert = ca.self_signed(&ca_key).expect("CA self-signs");

        let (signer_key, signer_key_path) = rsa_key(dir.path(), "signer");
        let mut signer = CertificateParams::new(Vec::<String>::new()).expect("params");
        signer.distinguished_name = name(&[
            (DnType::OrganizationName, "Provider PEC di Prova S.p.A."),
            (DnType::CommonName, "Posta Certificata di Prova"),
        ]);
        signer.is_ca = IsCa::ExplicitNoCa;
        signer.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        signer.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
        signer.subject_alt_names = vec![SanType::Rfc822Name(
            spec.signer_email.clone().try_into().expect("an e-mail"),
        )];
        let ((y0, m0, d0), (y1, m1, d1)) = spec.signer_valid;
        signer.not_before = date_time_ymd(y0, m0, d0);
        signer.not_after = date_time_ymd(y1, m1, d1);
        if spec.unknown_critical_extension {
            // DER NULL: the value does not matter, the criticality does.
            let mut ext =
                CustomExtension::from_oid_content(UNKNOWN_EXTENSION_OID, vec![0x05, 0x00]);
            ext.set_criticality(true);
            signer.custom_extensions.push(ext);
        }
        let issuer = Issuer::from_params(&ca, &ca_key);
        let signer_cert = signer.signed_by(&signer_key, &issuer).expect("CA issues");

        TestPki {
            ca_pem: ca_cert.pem(),
            signer_cert_pem: signer_cert.pem(),
            signer_key_pem: std::fs::read_to_string(signer_key_path).expect("key written"),
            digest: spec.digest,
        }
    }

    /// Writes a folder holding only the CA certificate, `parent/test-ca/`, for `attesta trust add` /
    /// `--trust-dir`, and returns it. The caller's `parent` (its own temporary folder) owns it.
    pub fn ca_dir(&self, parent: &Path) -> PathBuf {
        let dir = parent.join("test-ca");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("test-ca.pem"), &self.ca_pem).expect("write");
        dir
    }
}

impl TestPki {
    /// `content` signed by the provider certificate as a signed document, a `.p7m`: CAdES-BES
    /// (`openssl cms -sign -nodetach -cades`, signingTime now), the content inside, for tests of
    /// signed attachments whose CA only a test trusts (issue 15 §6).
    pub fn sign_document(&self, content: &[u8]) -> Vec<u8> {
        self.cms_sign(content, &["-nodetach", "-cades"])
    }

    /// `openssl cms -sign` over `content` with the provider certificate, the CA embedded, DER out.
    fn cms_sign(&self, content: &[u8], extra: &[&str]) -> Vec<u8> {
        // One folder per call: a shared PKI may sign from several test threads at once.
        let dir = work_dir();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).expect("write");
            path
        };
        let input = write("content", content);
        let signer_cert = write("signer.pem", self.signer_cert_pem.as_bytes());
        let signer_key = write("signer.key", self.signer_key_pem.as_bytes());
        let chain_file = write("chain.pem", self.ca_pem.as_bytes());
        run(Command::new("openssl")
            .args([
                "cms",
                "-sign",
                "-binary",
                "-outform",
                "DER",
                "-md",
                self.digest,
            ])
            .args(extra)
            .arg("-in")
            .arg(&input)
            .arg("-signer")
            .arg(&signer_cert)
            .arg("-inkey")
            .arg(&signer_key)
            .arg("-certfile")
            .arg(&chain_file))
    }
}

impl Signer for TestPki {
    fn sign(&self, content: &[u8]) -> Vec<u8> {
        self.cms_sign(content, &[])
    }

    fn micalg(&self) -> &str {
        match self.digest {
            "sha1" => "sha1",
            "sha384" => "sha-384",
            "sha512" => "sha-512",
            _ => "sha-256",
        }
    }
}
