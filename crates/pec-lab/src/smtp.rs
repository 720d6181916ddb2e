//! A provider's access point: SMTP submission with implicit TLS (PEC rules §9) and AUTH PLAIN or LOGIN.
//!
//! The SMTP grammar and state machine are `mailin`'s (a sans-I/O server library); this module is the I/O
//! around it: the TLS handshake first (there is no plaintext phase, so AUTH is never offered before TLS),
//! bounded line reads, and — once DATA ends — the circuit's work, done *before* the `250` reply, so that a
//! client which got its `250` finds the acceptance already in its INBOX.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder, response};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use crate::provider::Submission;

/// A line longer than this ends the connection (RFC 5321 allows 1000; message lines are often longer).
const MAX_LINE: usize = 1 << 20;
/// More recipients than this in one transaction are refused at RCPT.
const MAX_RCPT: usize = 1000;
/// A connection idle for this long is closed.
const IDLE: Duration = Duration::from_secs(300);

/// What an access point needs to know.
#[derive(Clone)]
pub struct AccessPoint {
    /// Index of the provider.
    pub provider: usize,
    /// The provider's domain, for the greeting.
    pub domain: String,
    /// login → password, for this provider's accounts.
    pub accounts: Arc<HashMap<String, String>>,
    /// DATA beyond this is counted but not kept (the checks refuse it by size).
    pub keep_bytes: u64,
}

/// The state a mailin handler shares with the I/O loop.
#[derive(Default)]
struct Transaction {
    login: Option<String>,
    mail_from: String,
    rcpt_to: Vec<String>,
    data: Vec<u8>,
    size: u64,
    /// A finished transaction, waiting for the circuit.
    done: Option<Submission>,
}

struct LabHandler {
    point: AccessPoint,
    state: Arc<Mutex<Transaction>>,
}

impl LabHandler {
    fn authenticate(&mut self, login: &str, password: &str) -> Response {
        let ok = self
            .point
            .accounts
            .get(&login.to_ascii_lowercase())
            .is_some_and(|p| p == password);
        if ok && let Ok(mut t) = self.state.lock() {
            t.login = Some(login.to_ascii_lowercase());
            return response::AUTH_OK;
        }
        response::INVALID_CREDENTIALS
    }
}

fn bare(address: &str) -> String {
    address
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

impl Handler for LabHandler {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        let Ok(mut t) = self.state.lock() else {
            return response::INTERNAL_ERROR;
        };
        t.mail_from = bare(from);
        t.rcpt_to.clear();
        t.data.clear();
        t.size = 0;
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let Ok(mut t) = self.state.lock() else {
            return response::INTERNAL_ERROR;
        };
        if t.rcpt_to.len() >= MAX_RCPT {
            return Response::custom(452, "4.5.3 Too many recipients".into());
        }
        t.rcpt_to.push(bare(to));
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Ok(mut t) = self.state.lock() {
            t.size += buf.len() as u64;
            if t.size <= self.point.keep_bytes {
                t.data.extend_from_slice(buf);
            }
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let Ok(mut t) = self.state.lock() else {
            return response::INTERNAL_ERROR;
        };
        let Some(login) = t.login.clone() else {
            return response::AUTHENTICATION_REQUIRED;
        };
        let submission = Submission {
            provider: self.point.provider,
            login,
            mail_from: std::mem::take(&mut t.mail_from),
            rcpt_to: std::mem::take(&mut t.rcpt_to),
            raw: std::mem::take(&mut t.data),
            size: std::mem::take(&mut t.size),
        };
        t.done = Some(submission);
        Response::custom(250, "2.0.0 Ok: messaggio preso in carico".into())
    }

    fn auth_plain(
        &mut self,
        authorization_id: &str,
        authentication_id: &str,
        password: &str,
    ) -> Response {
        if !authorization_id.is_empty() && authorization_id != authentication_id {
            return response::INVALID_CREDENTIALS;
        }
        self.authenticate(authentication_id, password)
    }

    fn auth_login(&mut self, username: &str, password: &str) -> Response {
        self.authenticate(username, password)
    }
}

/// What the access point calls with each finished transaction; the reply is sent when it returns.
pub type OnSubmission = Arc<
    dyn Fn(Submission) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        + Send
        + Sync,
>;

/// Accept connections until the task is dropped.
pub async fn serve(
    listener: TcpListener,
    tls: TlsAcceptor,
    point: AccessPoint,
    on_submission: OnSubmission,
) {
    loop {
        let Ok((tcp, peer)) = listener.accept().await else {
            continue;
        };
        let tls = tls.clone();
        let point = point.clone();
        let on_submission = Arc::clone(&on_submission);
        tokio::spawn(async move {
            let Ok(Ok(stream)) = tokio::time::timeout(IDLE, tls.accept(tcp)).await else {
                return;
            };
            let _ = session(stream, peer.ip(), point, on_submission).await;
        });
    }
}

async fn session<S>(
    stream: S,
    ip: IpAddr,
    point: AccessPoint,
    on_submission: OnSubmission,
) -> std::io::Result<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let state = Arc::new(Mutex::new(Transaction::default()));
    let mut builder = SessionBuilder::new(format!("smtps.{}", point.domain));
    builder
        .enable_start_tls()
        .enable_auth(AuthMechanism::Plain)
        .enable_auth(AuthMechanism::Login);
    let handler = LabHandler {
        point,
        state: Arc::clone(&state),
    };
    let mut session = builder.build(ip, handler);
    // NOTE: implicit TLS — the connection is already encrypted, so the session starts in the TLS state:
    // AUTH is offered at once and STARTTLS is not.
    session.tls_active();
    let mut stream = BufReader::new(stream);
    stream
        .get_mut()
        .write_all(&session.greeting().buffer()?)
        .await?;
    let mut line = Vec::with_capacity(1024);
    loop {
        line.clear();
        match tokio::time::timeout(IDLE, read_line(&mut stream, &mut line)).await {
            Ok(Ok(true)) => {}
            _ => return Ok(()),
        }
        let response = session.process(&line);
        let done = state.lock().ok().and_then(|mut t| t.done.take());
        if let Some(submission) = done {
            on_submission(submission).await;
        }
        match response.action {
            Action::Reply => {
                stream.get_mut().write_all(&response.buffer()?).await?;
            }
            Action::Close => {
                stream.get_mut().write_all(&response.buffer()?).await?;
                let _ = stream.get_mut().shutdown().await;
                return Ok(());
            }
            Action::NoReply | Action::UpgradeTls => {}
        }
    }
}

/// Read one line including its `\n`; false at end of stream or when the line is too long.
async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
) -> std::io::Result<bool> {
    loop {
        let buf = reader.fill_buf().await?;
        if buf.is_empty() {
            return Ok(false);
        }
        let (take, found) = match memchr_newline(buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if found {
            return Ok(true);
        }
        if line.len() > MAX_LINE {
            return Ok(false);
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}
