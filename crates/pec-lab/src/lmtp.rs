//! Delivering into the lab's Dovecot over LMTP (RFC 2033), one connection reused for many messages.
//!
//! A recipient `user+Folder@domain` lands in mailbox `Folder` (Dovecot's `lmtp_save_to_detail_mailbox`):
//! that is how provider `alfa` stores the sender's copy in `Sent`.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::LabError;

/// An open LMTP session.
pub struct LmtpClient {
    stream: BufReader<TcpStream>,
}

/// The address that delivers into `folder` of `mailbox` (`None` = INBOX).
pub fn folder_address(mailbox: &str, folder: Option<&str>) -> String {
    match (folder, mailbox.split_once('@')) {
        (Some(folder), Some((local, domain))) => format!("{local}+{folder}@{domain}"),
        _ => mailbox.to_owned(),
    }
}

impl LmtpClient {
    /// Connect and greet.
    pub async fn connect(port: u16) -> Result<LmtpClient, LabError> {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let mut client = LmtpClient {
            stream: BufReader::new(stream),
        };
        client.expect(220, "greeting").await?;
        client.command("LHLO lab.pec.lab\r\n", 250, "LHLO").await?;
        Ok(client)
    }

    /// Deliver `data` to every recipient of `to` (each `mailbox` or `mailbox+Folder`).
    pub async fn deliver(
        &mut self,
        from: &str,
        to: &[String],
        data: &[u8],
    ) -> Result<(), LabError> {
        self.command(&format!("MAIL FROM:<{from}>\r\n"), 250, from)
            .await?;
        for rcpt in to {
            self.command(&format!("RCPT TO:<{rcpt}>\r\n"), 250, rcpt)
                .await?;
        }
        self.command("DATA\r\n", 354, "DATA").await?;
        let stuffed = dot_stuff(data);
        self.stream.get_mut().write_all(&stuffed).await?;
        self.stream.get_mut().write_all(b".\r\n").await?;
        // LMTP answers once per recipient.
        for rcpt in to {
            self.expect(250, rcpt).await?;
        }
        Ok(())
    }

    /// Say goodbye (best effort).
    pub async fn quit(mut self) {
        let _ = self.stream.get_mut().write_all(b"QUIT\r\n").await;
    }

    async fn command(&mut self, line: &str, code: u16, about: &str) -> Result<(), LabError> {
        self.stream.get_mut().write_all(line.as_bytes()).await?;
        self.expect(code, about).await
    }

    /// Read one (possibly multi-line) reply and check its code.
    async fn expect(&mut self, code: u16, about: &str) -> Result<(), LabError> {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(LabError::Lmtp {
                    recipient: about.to_owned(),
                    reply: "connection closed".into(),
                });
            }
            reply += line.trim_end();
            reply += " ";
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
        if reply.starts_with(&code.to_string()) {
            Ok(())
        } else {
            Err(LabError::Lmtp {
                recipient: about.to_owned(),
                reply: reply.trim_end().to_owned(),
            })
        }
    }
}

/// The message as DATA carries it: CRLF line endings, a dot doubled at the start of a line, a final CRLF.
pub fn dot_stuff(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 64 + 8);
    let mut line_start = true;
    let mut previous = 0u8;
    for &b in data {
        if line_start && b == b'.' {
            out.push(b'.');
        }
        if b == b'\n' && previous != b'\r' {
            out.push(b'\r');
        }
        out.push(b);
        line_start = b == b'\n';
        previous = b;
    }
    if !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_are_doubled_and_lines_end_in_crlf() {
        assert_eq!(
            dot_stuff(b".a\r\nb\n.\r\nc"),
            b"..a\r\nb\r\n..\r\nc\r\n".to_vec()
        );
    }

    #[test]
    fn a_folder_is_a_detail_of_the_address() {
        assert_eq!(folder_address("a.b@x.lab", Some("Sent")), "a.b+Sent@x.lab");
        assert_eq!(folder_address("a.b@x.lab", None), "a.b@x.lab");
    }
}
