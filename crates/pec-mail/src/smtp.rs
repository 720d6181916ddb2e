//! SMTP submission (RFC 6409) with `lettre`: implicit TLS (465, what PEC providers offer) or STARTTLS
//! (587), always authenticated, always verified, never in the clear. The bytes are sent exactly as given:
//! Attesta archives them before submitting, so what it proves is what the provider received.

use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::{Endpoint, MailError, Security, TlsRoots};

/// What the server said when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The reply code and text (e.g. `250 2.0.0 Ok: queued as …`).
    pub reply: String,
}

/// One submission.
#[derive(Debug, Clone, Copy)]
pub struct Submission<'a> {
    /// The envelope sender (PEC rules §8: the account's own address).
    pub from: &'a str,
    /// The envelope recipients (To and Cc).
    pub recipients: &'a [String],
    /// The message, exactly as it must arrive.
    pub bytes: &'a [u8],
}

fn address(server: &str, a: &str) -> Result<Address, MailError> {
    a.trim().parse().map_err(|_| MailError::Rejected {
        server: server.to_owned(),
        detail: format!("{a:?} is not an e-mail address"),
    })
}

fn classify(server: &str, login: &str, e: SmtpError) -> MailError {
    let detail = e.to_string();
    if e.is_permanent() && detail.contains("535")
        || detail.to_lowercase().contains("authentication")
    {
        return MailError::Login {
            server: server.to_owned(),
            login: login.to_owned(),
            detail,
        };
    }
    if e.is_permanent() || e.is_transient() {
        return MailError::Rejected {
            server: server.to_owned(),
            detail,
        };
    }
    if e.is_timeout() {
        return MailError::Timeout {
            server: server.to_owned(),
        };
    }
    let lower = detail.to_lowercase();
    if lower.contains("certificate")
        || lower.contains("unknownissuer")
        || lower.contains("invalid peer")
    {
        return MailError::Certificate {
            server: server.to_owned(),
            detail,
        };
    }
    if lower.contains("connection refused") || lower.contains("could not connect") {
        return MailError::Connect {
            server: server.to_owned(),
            detail,
        };
    }
    MailError::Dropped {
        server: server.to_owned(),
    }
}

/// Submits one message and returns the server's acceptance.
pub async fn submit(
    endpoint: &Endpoint,
    roots: &TlsRoots,
    login: &str,
    password: &str,
    submission: Submission<'_>,
) -> Result<Accepted, MailError> {
    let server = endpoint.to_string();
    let mut tls = TlsParameters::builder(endpoint.host.clone());
    for der in roots.certificates()? {
        let cert =
            Certificate::from_der(der.to_vec()).map_err(|e| MailError::Roots(e.to_string()))?;
        tls = tls.add_root_certificate(cert);
    }
    let tls = tls
        .build_rustls()
        .map_err(|e| MailError::Roots(e.to_string()))?;
    let tls = match endpoint.security {
        Security::ImplicitTls => Tls::Wrapper(tls),
        Security::StartTls => Tls::Required(tls),
    };
    // NOTE: `builder_dangerous` only means "no TLS preset": TLS is set right here, always verified.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(endpoint.host.clone())
        .port(endpoint.port)
        .tls(tls)
        .credentials(Credentials::new(login.to_owned(), password.to_owned()))
        .authentication(vec![Mechanism::Plain, Mechanism::Login])
        .timeout(Some(Duration::from_secs(60)))
        .build();
    let from = address(&server, submission.from)?;
    let to = submission
        .recipients
        .iter()
        .map(|r| address(&server, r))
        .collect::<Result<Vec<_>, _>>()?;
    let envelope = Envelope::new(Some(from), to).map_err(|e| MailError::Rejected {
        server: server.clone(),
        detail: e.to_string(),
    })?;
    let response = transport
        .send_raw(&envelope, submission.bytes)
        .await
        .map_err(|e| classify(&server, login, e))?;
    let text: Vec<&str> = response.message().collect();
    Ok(Accepted {
        reply: format!("{} {}", response.code(), text.join(" ")),
    })
}
