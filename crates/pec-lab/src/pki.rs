//! The lab's two certification authorities, made fresh at every start-up:
//!
//! - the **lab TLS CA** (ECDSA P-256) issues the one server certificate the lab's IMAPS and SMTPS ports
//!   present (SAN `localhost`, `127.0.0.1`; no BasicConstraints CA flag, since rustls rejects a CA
//!   certificate used as an end entity);
//! - the **lab PEC CA** (RSA 2048) issues each provider's signing certificate shaped like the real ones
//!   (`shared/trust/README.md`): RSA 2048, SAN rfc822Name `posta-certificata@<domain>`, KeyUsage
//!   digitalSignature (critical), EKU emailProtection, no BasicConstraints; and the **lab TSA**'s
//!   certificate (RSA 2048, EKU timeStamping, RFC 3161 §2.3), which stamps the REM evidence's XAdES
//!   signatures (`rem::tsa`). Trusting the lab PEC CA is what makes lab evidence `valid`, timestamp
//!   included; nothing else does.
//!
//! The CA private keys are never written down: nothing can be issued by a lab CA after start-up. Neither CA
//! is trusted anywhere by default (PEC rules §6; lab.json only points at the PEM files).

use chrono::{DateTime, Datelike, Duration, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rsa::pkcs8::EncodePrivateKey;

use crate::LabError;

/// A certificate and its private key, both PEM.
#[derive(Clone)]
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
}

/// What the lab's PKI made at start-up.
pub struct LabPki {
    pub tls_ca_pem: String,
    pub tls_server: Issued,
    pub pec_ca_pem: String,
    /// One signer per provider, in the order the domains were given.
    pub signers: Vec<Issued>,
    /// The lab timestamping authority, issued by the lab PEC CA.
    pub tsa: Issued,
}

/// A provider to issue a signing certificate for.
pub struct SignerSpec<'a> {
    pub domain: &'a str,
    pub organisation: &'a str,
}

fn fail(e: impl std::fmt::Display) -> LabError {
    LabError::Pki(e.to_string())
}

fn name(organisation: &str, common: &str) -> Result<DistinguishedName, LabError> {
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CountryName,
        DnValue::PrintableString("IT".try_into().map_err(fail)?),
    );
    dn.push(DnType::OrganizationName, organisation);
    dn.push(DnType::CommonName, common);
    Ok(dn)
}

fn validity(params: &mut CertificateParams, now: DateTime<Utc>, years: i32) {
    let from = now - Duration::days(30);
    let to = now + Duration::days(365 * i64::from(years));
    params.not_before = rcgen::date_time_ymd(from.year(), from.month() as u8, from.day() as u8);
    params.not_after = rcgen::date_time_ymd(to.year(), to.month() as u8, to.day() as u8);
}

/// A fresh RSA 2048 key, made with RustCrypto (ring cannot generate RSA keys), loaded into rcgen.
fn rsa_key() -> Result<KeyPair, LabError> {
    let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(fail)?;
    let der = key.to_pkcs8_der().map_err(fail)?;
    let pkcs8 = rustls::pki_types::PrivatePkcs8KeyDer::from(der.as_bytes().to_vec());
    KeyPair::from_pkcs8_der_and_sign_algo(&pkcs8, &rcgen::PKCS_RSA_SHA256).map_err(fail)
}

/// Make both CAs, the TLS server certificate and one signing certificate per provider.
///
/// The RSA keys are made in parallel (one thread each): key generation is most of the start-up time.
pub fn generate(signers: &[SignerSpec<'_>], now: DateTime<Utc>) -> Result<LabPki, LabError> {
    let keys: Vec<Result<KeyPair, LabError>> = std::thread::scope(|scope| {
        // The PEC CA, one per provider, the TSA.
        let handles: Vec<_> = (0..signers.len() + 2)
            .map(|_| scope.spawn(rsa_key))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(fail("key generation failed")))
            })
            .collect()
    });
    let mut keys = keys.into_iter();
    let pec_ca_key = keys.next().ok_or_else(|| fail("no key"))??;

    // The lab PEC CA.
    let mut pec_ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    pec_ca.distinguished_name = name("Attesta Lab", "Attesta Lab PEC CA")?;
    pec_ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    pec_ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    validity(&mut pec_ca, now, 20);
    let pec_ca_cert = pec_ca.self_signed(&pec_ca_key).map_err(fail)?;
    let pec_issuer = Issuer::from_params(&pec_ca, &pec_ca_key);

    let mut issued = Vec::new();
    for spec in signers {
        let key = keys.next().ok_or_else(|| fail("no key"))??;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
        params.distinguished_name = name(
            spec.organisation,
            &format!("Posta Certificata {}", spec.organisation),
        )?;
        params.is_ca = IsCa::NoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
        params.subject_alt_names = vec![SanType::Rfc822Name(
            format!("posta-certificata@{}", spec.domain)
                .try_into()
                .map_err(fail)?,
        )];
        validity(&mut params, now, 10);
        let cert = params.signed_by(&key, &pec_issuer).map_err(fail)?;
        issued.push(Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        });
    }

    // The lab TSA (RFC 3161 §2.3: the timeStamping purpose, which pec-core requires).
    let tsa_key = keys.next().ok_or_else(|| fail("no key"))??;
    let mut tsa = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    tsa.distinguished_name = name("Attesta Lab", "Attesta Lab TSA")?;
    tsa.is_ca = IsCa::NoCa;
    tsa.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    tsa.extended_key_usages = vec![ExtendedKeyUsagePurpose::TimeStamping];
    validity(&mut tsa, now, 10);
    let tsa_cert = tsa.signed_by(&tsa_key, &pec_issuer).map_err(fail)?;
    let tsa = Issued {
        cert_pem: tsa_cert.pem(),
        key_pem: tsa_key.serialize_pem(),
    };

    // The lab TLS CA and the servers' certificate.
    let tls_ca_key = KeyPair::generate().map_err(fail)?;
    let mut tls_ca = CertificateParams::new(Vec::<String>::new()).map_err(fail)?;
    tls_ca.distinguished_name = name("Attesta Lab", "Attesta Lab TLS CA")?;
    tls_ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    tls_ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    validity(&mut tls_ca, now, 20);
    let tls_ca_cert = tls_ca.self_signed(&tls_ca_key).map_err(fail)?;
    let tls_issuer = Issuer::from_params(&tls_ca, &tls_ca_key);
    let server_key = KeyPair::generate().map_err(fail)?;
    let mut server = CertificateParams::new(vec!["localhost".to_owned()]).map_err(fail)?;
    server
        .subject_alt_names
        .push(SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
    server.distinguished_name = name("Attesta Lab", "localhost")?;
    server.is_ca = IsCa::NoCa;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    validity(&mut server, now, 2);
    let server_cert = server.signed_by(&server_key, &tls_issuer).map_err(fail)?;

    Ok(LabPki {
        tls_ca_pem: tls_ca_cert.pem(),
        tls_server: Issued {
            cert_pem: server_cert.pem(),
            key_pem: server_key.serialize_pem(),
        },
        pec_ca_pem: pec_ca_cert.pem(),
        signers: issued,
        tsa,
    })
}
