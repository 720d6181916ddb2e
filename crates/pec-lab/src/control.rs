//! How commands talk to a running lab daemon: one JSON request and one JSON reply per connection on a
//! Unix socket (owner-only), e.g. `{"op":"advance","seconds":90000}`.
//!
//! Requests that change mail (`advance`, `inject`) reply only once the resulting messages are delivered,
//! so a command (or a test) can read the mailbox right after.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::LabError;

/// What a command asks the daemon.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Request {
    /// Is it running, what time is it, how many recipients are still pending.
    Status,
    /// Move the lab clock forward and send the notices that fall due.
    Advance { seconds: i64 },
    /// Deliver ordinary mail to a lab mailbox (it arrives as an anomaly envelope).
    Inject {
        to: String,
        /// The message, base64.
        message: String,
    },
    /// Stop everything.
    Stop,
}

/// The daemon's answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Reply {
    pub ok: bool,
    pub message: String,
    #[serde(default)]
    pub clock: Option<chrono::DateTime<chrono::Utc>>,
    /// Messages delivered because of this request.
    #[serde(default)]
    pub delivered: usize,
    /// Recipients still waiting for a 12 h / 24 h notice.
    #[serde(default)]
    pub pending: usize,
    /// The daemon's pid and Dovecot master's.
    #[serde(default)]
    pub pids: Vec<i32>,
}

/// Send one request and wait for the reply (up to `timeout`).
pub fn request(socket: &Path, request: &Request, timeout: Duration) -> Result<Reply, LabError> {
    let stream = UnixStream::connect(socket).map_err(|e| LabError::io("connect to", socket, e))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let mut line = serde_json::to_string(request).map_err(|e| LabError::Control(e.to_string()))?;
    line.push('\n');
    (&stream).write_all(line.as_bytes())?;
    let mut reader = BufReader::new(&stream);
    let mut answer = String::new();
    reader.read_line(&mut answer)?;
    let reply: Reply =
        serde_json::from_str(answer.trim()).map_err(|e| LabError::Control(e.to_string()))?;
    if reply.ok {
        Ok(reply)
    } else {
        Err(LabError::Control(reply.message))
    }
}
