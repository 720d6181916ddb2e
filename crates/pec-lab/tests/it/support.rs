//! What every lab test needs: a lab in a temporary directory (or a plain SKIPPED line when Dovecot is not
//! installed), a real SMTPS client (lettre on rustls, with the lab's TLS CA as its root), a real IMAPS
//! client (async-imap on tokio-rustls), and pec-core's verdict on every message read back.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use futures::TryStreamExt;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use pec_core::signature::{SignatureStatus, TrustAnchors};
use pec_core::{Inspection, PecKind};
use pec_lab::{AccountInfo, Lab, LabHandle, LabInfo};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

/// A running lab and the directory it lives in (removed after the lab stops).
pub struct TestLab {
    pub lab: LabHandle,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for TestLab {
    type Target = LabHandle;
    fn deref(&self) -> &LabHandle {
        &self.lab
    }
}

/// A fresh lab, or `None` (after printing why) when Dovecot is not installed.
pub fn lab(test: &str) -> Option<TestLab> {
    if !Lab::available() {
        eprintln!("SKIPPED: dovecot not installed ({test})");
        return None;
    }
    let dir = tempfile::Builder::new()
        .prefix("attesta-labtest-")
        .tempdir()
        .expect("temporary directory");
    let lab = Lab::start(dir.path()).expect("the lab starts");
    Some(TestLab { lab, _dir: dir })
}

/// A fresh lab whose providers answer as REM services, or `None` as [`lab`].
pub fn rem_lab(test: &str) -> Option<TestLab> {
    if !Lab::available() {
        eprintln!("SKIPPED: dovecot not installed ({test})");
        return None;
    }
    let dir = tempfile::Builder::new()
        .prefix("attesta-labtest-")
        .tempdir()
        .expect("temporary directory");
    let lab =
        Lab::start_with(dir.path(), pec_lab::LabOptions { rem: true }).expect("the lab starts");
    Some(TestLab { lab, _dir: dir })
}

pub fn account<'a>(info: &'a LabInfo, address: &str) -> &'a AccountInfo {
    info.account(address).expect("a lab account")
}

/// Submit `raw` exactly as given, over implicit TLS with AUTH PLAIN, as `login`.
pub async fn submit(
    info: &LabInfo,
    login: &str,
    from: &str,
    rcpt: &[&str],
    raw: &[u8],
) -> Result<()> {
    let account = account(info, login);
    let provider = info.provider(&account.provider).context("provider")?;
    let pem = std::fs::read(&info.tls_ca_pem)?;
    let tls = TlsParameters::builder(provider.smtp.host.clone())
        .add_root_certificate(Certificate::from_pem(&pem)?)
        .build_rustls()?;
    let transport =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(provider.smtp.host.as_str())
            .port(provider.smtp.port)
            .tls(Tls::Wrapper(tls))
            .credentials(Credentials::new(
                account.login.clone(),
                account.password.clone(),
            ))
            .authentication(vec![Mechanism::Plain])
            .build();
    let envelope = Envelope::new(
        Some(from.parse()?),
        rcpt.iter()
            .map(|r| r.parse())
            .collect::<Result<Vec<_>, _>>()?,
    )?;
    transport.send_raw(&envelope, raw).await?;
    Ok(())
}

/// A client message as a PEC client writes it.
pub fn message(
    from: &str,
    to: &[&str],
    cc: &[&str],
    subject: &str,
    extra: &str,
    body: &str,
) -> Vec<u8> {
    let mut m = format!("From: {from}\r\nTo: {}\r\n", to.join(", "));
    if !cc.is_empty() {
        m += &format!("Cc: {}\r\n", cc.join(", "));
    }
    m += &format!(
        "Subject: {subject}\r\nDate: Wed, 02 Dec 2026 11:00:00 +0100\r\n\
         Message-ID: <{}@client.test>\r\n{extra}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n",
        subject.replace(' ', ".")
    );
    m.into_bytes()
}

async fn imap_session(
    info: &LabInfo,
    address: &str,
) -> Result<async_imap::Session<tokio_rustls::client::TlsStream<tokio::net::TcpStream>>> {
    let account = account(info, address);
    let mut roots = rustls::RootCertStore::empty();
    let pem = std::fs::read(&info.tls_ca_pem)?;
    for cert in CertificateDer::pem_slice_iter(&pem) {
        roots.add(cert?)?;
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let tcp = tokio::net::TcpStream::connect((info.imap.host.as_str(), info.imap.port)).await?;
    let name = ServerName::try_from(info.imap.host.clone())?;
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await?;
    let mut client = async_imap::Client::new(tls);
    // Read the greeting before LOGIN (environment.md).
    client.read_response().await.context("greeting")?;
    client
        .login(&account.login, &account.password)
        .await
        .map_err(|(e, _)| anyhow::anyhow!("login: {e}"))
}

/// Every message in `folder` of `address`, raw, in UID order.
pub async fn fetch(info: &LabInfo, address: &str, folder: &str) -> Result<Vec<Vec<u8>>> {
    let mut session = imap_session(info, address).await?;
    let mailbox = session.select(folder).await?;
    let mut out = Vec::new();
    if mailbox.exists > 0 {
        let fetched: Vec<_> = session
            .uid_fetch("1:*", "BODY.PEEK[]")
            .await?
            .try_collect()
            .await?;
        let mut fetched: Vec<_> = fetched
            .iter()
            .map(|f| (f.uid.unwrap_or(0), f.body().unwrap_or_default().to_vec()))
            .collect();
        fetched.sort_by_key(|(uid, _)| *uid);
        out = fetched.into_iter().map(|(_, body)| body).collect();
    }
    session.logout().await?;
    Ok(out)
}

/// How many messages `folder` of `address` holds.
pub async fn count(info: &LabInfo, address: &str, folder: &str) -> Result<u32> {
    let mut session = imap_session(info, address).await?;
    let exists = session.select(folder).await?.exists;
    session.logout().await?;
    Ok(exists)
}

/// pec-core's reading of a message, after checking the two verdicts every lab message must get:
/// `valid` with the lab PEC CA added to the built-in anchors, `untrusted` with the built-in ones alone.
pub fn verified(info: &LabInfo, raw: &[u8]) -> Result<Inspection> {
    let inspection = pec_core::inspect(raw);
    let mut anchors = TrustAnchors::builtin();
    anchors.add_pem(&std::fs::read(&info.pec_ca_pem)?)?;
    let with_lab = pec_core::verify_signature(
        raw,
        &inspection,
        &anchors,
        &pec_core::signature::TimeWitnesses::at(info.clock_now()),
    );
    if with_lab.status != SignatureStatus::Valid {
        bail!("{:?} with the lab CA: {with_lab:#?}", with_lab.status);
    }
    let builtin = pec_core::verify_signature(
        raw,
        &inspection,
        &TrustAnchors::builtin(),
        &pec_core::signature::TimeWitnesses::at(info.clock_now()),
    );
    if builtin.status != SignatureStatus::Untrusted {
        bail!("{:?} with the built-in anchors alone", builtin.status);
    }
    Ok(inspection)
}

/// The kinds of `messages`, each verified.
pub fn kinds(info: &LabInfo, messages: &[Vec<u8>]) -> Result<Vec<PecKind>> {
    messages
        .iter()
        .map(|m| verified(info, m).map(|i| i.kind))
        .collect()
}

/// The bytes of the part `postacert.eml` carries.
pub fn postacert<'a>(raw: &'a [u8], inspection: &Inspection) -> Option<&'a [u8]> {
    inspection.structure.postacert.as_ref()?.body?.slice(raw)
}
