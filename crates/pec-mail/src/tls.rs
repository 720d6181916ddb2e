//! TLS client settings: the public web roots (real providers' servers chain to them) plus any roots an
//! account adds (the lab's own CA). Verification is never switched off.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::MailError;

/// Extra root certificates (PEM) an account trusts for its servers' TLS, beside the public roots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsRoots {
    pub extra_pem: Vec<Vec<u8>>,
}

impl TlsRoots {
    /// Only the public roots.
    pub fn public() -> TlsRoots {
        TlsRoots::default()
    }

    /// The rustls client configuration for these roots.
    pub fn client_config(&self) -> Result<Arc<rustls::ClientConfig>, MailError> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in self.certificates()? {
            roots
                .add(cert)
                .map_err(|e| MailError::Roots(e.to_string()))?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| MailError::Roots(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }

    /// The extra roots as DER certificates.
    pub fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, MailError> {
        let mut out = Vec::new();
        for pem in &self.extra_pem {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem)
                .collect::<Result<_, _>>()
                .map_err(|e| MailError::Roots(e.to_string()))?;
            if certs.is_empty() {
                return Err(MailError::Roots("a root file holds no certificate".into()));
            }
            out.extend(certs);
        }
        Ok(out)
    }
}

/// A TLS handshake failure worded for people: a certificate problem is not a network problem.
pub(crate) fn handshake_error(server: &str, e: &std::io::Error) -> MailError {
    let detail = e.to_string();
    let certificate = e
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .is_some_and(|r| {
            matches!(
                r,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            )
        });
    if certificate || detail.contains("certificate") {
        MailError::Certificate {
            server: server.to_owned(),
            detail,
        }
    } else {
        MailError::Tls {
            server: server.to_owned(),
            detail,
        }
    }
}
