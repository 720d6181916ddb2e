//! A throw-away certification authority run by the `openssl` binary, with its `openssl ca` database,
//! for the revocation tests (issue 15): pec-core's CRL/OCSP tests and pec-document's PAdES-LT and
//! certificate-substitution tests.
//!
//! Unlike [`crate::pki::TestPki`] (rcgen certificates, one signer), this CA keeps a database, so it
//! can revoke what it issued and say so in CRLs (`openssl ca -gencrl`, RFC 5280 §5) and OCSP
//! responses (`openssl ocsp`, RFC 6960); it also signs CMS (`openssl cms`) and RFC 3161 timestamps
//! (`openssl ts`). Beside the CA lives a look-alike: the same name on another key, the forger's CA.
//!
//! Everything lives in one private folder (prefix `attesta-pki-`), removed when the CA is dropped.
//! A certificate is named by its *stem*: `stem.pem` and `stem.key` in that folder; the CA is `ca`,
//! the look-alike `look-alike`. Times are openssl's (`YYMMDDHHMMSSZ` or `YYYYMMDDHHMMSSZ`). Panics
//! when openssl fails or is missing (check [`crate::pki::openssl_available`] first).

use std::path::PathBuf;
use std::process::Command;

use crate::pki::{run, work_dir};

/// The `openssl ca` configuration: the database and every extension section the tests use
/// (`v3_ca`, `v3_ocsp`, `v3_signer`, `v3_tsa`) and the `[tsa]` section of `openssl ts -reply`.
pub const CONFIG: &str = include_str!("openssl_ca.cnf");

/// From 2020 to 2045: a certificate valid whenever the tests sign or judge.
pub const LONG_VALIDITY: (&str, &str) = ("20200101000000Z", "20450101000000Z");

/// A CA with its openssl database, and a look-alike CA (same name, another key).
pub struct OpensslCa {
    dir: tempfile::TempDir,
}

/// How [`OpensslCa::sign`] writes its CMS SignedData.
#[derive(Debug, Clone, Copy, Default)]
pub struct CmsOptions {
    /// Leave the content out (`-nodetach` otherwise).
    pub detached: bool,
    /// Add the CA certificate beside the signer's.
    pub with_ca: bool,
    /// Add the ESS signing-certificate-v2 attribute (RFC 5035), `openssl cms -cades`.
    pub cades: bool,
}

impl OpensslCa {
    /// A self-signed CA named `subject` (e.g. `/C=IT/O=Attesta Test/CN=…`), valid 2010–2050, and
    /// its look-alike.
    pub fn new(subject: &str) -> OpensslCa {
        let ca = OpensslCa { dir: work_dir() };
        for (file, text) in [
            ("ca.cnf", CONFIG),
            ("index.txt", ""),
            ("serial", "1000\n"),
            ("crlnumber", "01\n"),
            ("tsaserial", "01\n"),
        ] {
            std::fs::write(ca.path(file), text).expect("write");
        }
        ca.key("ca");
        ca.request("ca", subject);
        ca.openssl(&[
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
        ]);
        ca.key("look-alike");
        ca.openssl(&[
            "req",
            "-new",
            "-x509",
            "-key",
            "look-alike.key",
            "-subj",
            subject,
            "-days",
            "3650",
            "-out",
            "look-alike.pem",
        ]);
        ca
    }

    /// The path of `file` in the CA's folder.
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    /// The CA certificate, PEM: add it to trust anchors to trust this CA.
    pub fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.path("ca.pem")).expect("the CA certificate")
    }

    /// The DER of certificate `stem` (`ca`, `look-alike`, or one issued).
    pub fn der(&self, stem: &str) -> Vec<u8> {
        self.openssl(&["x509", "-in", &format!("{stem}.pem"), "-outform", "DER"])
    }

    /// Issues certificate `stem` to `subject` on a new key, through the database, with extensions
    /// section `extensions` of [`CONFIG`] and `validity` (start, end).
    pub fn issue(&self, stem: &str, subject: &str, extensions: &str, validity: (&str, &str)) {
        self.key(stem);
        let (csr, pem) = (self.request(stem, subject), format!("{stem}.pem"));
        self.openssl(&[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-cert",
            "ca.pem",
            "-keyfile",
            "ca.key",
            "-in",
            &csr,
            "-startdate",
            validity.0,
            "-enddate",
            validity.1,
            "-extensions",
            extensions,
            "-notext",
            "-out",
            &pem,
        ]);
    }

    /// Certifies key `key_of.key` (made by [`OpensslCa::key`]) as `stem`, to `subject`, with
    /// serial `serial`, outside the database (which refuses a serial twice): twice with one serial,
    /// the forger's two certificates for one key. Valid 365 days from now, extensions `v3_signer`.
    pub fn certify_key(&self, stem: &str, key_of: &str, subject: &str, serial: u32) {
        std::fs::copy(
            self.path(&format!("{key_of}.key")),
            self.path(&format!("{stem}.key")),
        )
        .expect("copy the key");
        let (csr, pem) = (self.request(stem, subject), format!("{stem}.pem"));
        self.openssl(&[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            &serial.to_string(),
            "-days",
            "365",
            "-extfile",
            "ca.cnf",
            "-extensions",
            "v3_signer",
            "-out",
            &pem,
        ]);
    }

    /// Records the certificate whose subject ends in `CN=common_name` as revoked on `date`
    /// (openssl's `YYMMDDHHMMSSZ`, optionally `,reason`), by editing the database.
    pub fn revoke(&self, common_name: &str, date: &str) {
        let subject_end = format!("/CN={common_name}");
        let index = std::fs::read_to_string(self.path("index.txt")).expect("the database");
        let index: String = index
            .lines()
            .map(|line| {
                let mut fields: Vec<&str> = line.split('\t').collect();
                if line.ends_with(&subject_end) {
                    fields[0] = "R";
                    fields[2] = date;
                }
                fields.join("\t") + "\n"
            })
            .collect();
        std::fs::write(self.path("index.txt"), index).expect("write the database");
    }

    /// A CRL (DER) of the database, signed by the CA or by the look-alike; `dates` =
    /// (thisUpdate, nextUpdate), now and 30 days later otherwise.
    pub fn crl(&self, by_look_alike: bool, dates: Option<(&str, &str)>) -> Vec<u8> {
        let signer = if by_look_alike { "look-alike" } else { "ca" };
        let (cert, key) = (format!("{signer}.pem"), format!("{signer}.key"));
        let mut args = vec![
            "ca", "-gencrl", "-config", "ca.cnf", "-cert", &cert, "-keyfile", &key, "-out",
            "crl.pem",
        ];
        if let Some((this, next)) = dates {
            args.extend(["-crl_lastupdate", this, "-crl_nextupdate", next]);
        }
        self.openssl(&args);
        self.openssl(&["crl", "-in", "crl.pem", "-outform", "DER"])
    }

    /// An OCSPResponse (DER) about certificate `about` from the database, signed by `responder`
    /// (`ca`, or a certificate the CA issued), carrying the responder's certificate or not.
    pub fn ocsp(&self, about: &str, responder: &str, with_responder_cert: bool) -> Vec<u8> {
        self.openssl(&[
            "ocsp",
            "-issuer",
            "ca.pem",
            "-cert",
            &format!("{about}.pem"),
            "-no_nonce",
            "-reqout",
            "req.der",
        ]);
        let (cert, key) = (format!("{responder}.pem"), format!("{responder}.key"));
        let mut args = vec![
            "ocsp",
            "-index",
            "index.txt",
            "-rsigner",
            &cert,
            "-rkey",
            &key,
            "-CA",
            "ca.pem",
            "-reqin",
            "req.der",
            "-respout",
            "resp.der",
            "-ndays",
            "30",
        ];
        if !with_responder_cert {
            args.push("-resp_no_certs");
        }
        self.openssl(&args);
        std::fs::read(self.path("resp.der")).expect("the response")
    }

    /// A CMS SignedData (DER, SHA-256, signingTime = now) over `content` by certificate `signer`.
    pub fn sign(&self, signer: &str, content: &[u8], options: CmsOptions) -> Vec<u8> {
        std::fs::write(self.path("content.bin"), content).expect("write");
        let (cert, key) = (format!("{signer}.pem"), format!("{signer}.key"));
        let mut args = vec![
            "cms",
            "-sign",
            "-binary",
            "-md",
            "sha256",
            "-outform",
            "DER",
            "-in",
            "content.bin",
            "-signer",
            &cert,
            "-inkey",
            &key,
        ];
        if !options.detached {
            args.push("-nodetach");
        }
        if options.with_ca {
            args.extend(["-certfile", "ca.pem"]);
        }
        if options.cades {
            args.push("-cades");
        }
        self.openssl(&args)
    }

    /// An RFC 3161 timestamp token (DER, genTime = now) over `content`, by certificate `tsa`
    /// (issued with extensions `v3_tsa`).
    pub fn stamp(&self, tsa: &str, content: &[u8]) -> Vec<u8> {
        std::fs::write(self.path("stamped.bin"), content).expect("write");
        self.openssl(&[
            "ts",
            "-query",
            "-data",
            "stamped.bin",
            "-sha256",
            "-cert",
            "-no_nonce",
            "-out",
            "req.tsq",
        ]);
        self.openssl(&[
            "ts",
            "-reply",
            "-config",
            "ca.cnf",
            "-queryfile",
            "req.tsq",
            "-signer",
            &format!("{tsa}.pem"),
            "-inkey",
            &format!("{tsa}.key"),
            "-token_out",
            "-out",
            "token.der",
        ]);
        std::fs::read(self.path("token.der")).expect("the token")
    }

    /// A certificate request `stem.csr` for key `stem.key`, to `subject`; returns its file name.
    fn request(&self, stem: &str, subject: &str) -> String {
        let csr = format!("{stem}.csr");
        self.openssl(&[
            "req",
            "-new",
            "-key",
            &format!("{stem}.key"),
            "-subj",
            subject,
            "-out",
            &csr,
        ]);
        csr
    }

    /// A new 2048-bit RSA key, `stem.key`.
    pub fn key(&self, stem: &str) {
        self.openssl(&[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            &format!("{stem}.key"),
        ]);
    }

    fn openssl(&self, args: &[&str]) -> Vec<u8> {
        run(Command::new("openssl")
            .args(args)
            .current_dir(self.dir.path()))
    }
}
