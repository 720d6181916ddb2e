//! What `attesta verify` says about one file: the signature verdict, who signed and when, what the
//! signed certification data certifies, and every finding — shared by the human and JSON outputs.

use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use pec_core::signature::{ChainLink, SignatureReport, SignatureStatus, SignerInfo};
use pec_core::{Artifact, Inspection, PecKind};
use serde::Serialize;

/// One finding, from the message reading or from the signature check.
#[derive(Debug, Serialize)]
pub struct FindingLine {
    /// Stable kebab-case code.
    pub code: String,
    /// `info`, `warning`, or what it makes of the evidence (`error`, `untrusted`, `invalid`, …).
    pub severity: String,
    /// `message` (the reading of the mail) or `signature` (the signature check).
    pub source: &'static str,
    pub message: String,
}

/// The signature part of the verdict.
#[derive(Debug, Serialize)]
pub struct SignatureLine {
    pub status: SignatureStatus,
    pub signed_at: Option<String>,
    pub signer: Option<SignerInfo>,
    /// The digest algorithm inside the CMS (`sha1`, `sha256`, …).
    pub digest: Option<String>,
    /// The signature algorithm (`rsa-pkcs1v15`, …).
    pub algorithm: Option<String>,
    pub key_bits: Option<u32>,
    pub chain: Vec<ChainLink>,
}

/// Everything `verify` prints for one file.
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub file: String,
    /// Daticert `tipo`, `anomalia`, or `none`.
    pub kind: &'static str,
    pub label: &'static str,
    pub signature: SignatureLine,
    /// The issuing provider: daticert's `gestore-emittente`, else the signer's organisation.
    pub provider: Option<String>,
    pub msgid: Option<String>,
    pub identificativo: Option<String>,
    pub consegna: Option<String>,
    /// The certified time (daticert), UTC.
    pub certified_at: Option<String>,
    pub findings: Vec<FindingLine>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn code_string(value: impl Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl VerifyReport {
    /// The verdict on a message already inspected and checked.
    pub fn for_message(file: &str, inspection: &Inspection, report: SignatureReport) -> Self {
        let mut r = VerifyReport::bare(file, inspection.kind, report);
        if let Some(d) = &inspection.daticert {
            if let Some(gestore) = &d.gestore_emittente {
                r.provider = Some(gestore.clone());
            }
            r.msgid = d.msgid.clone();
            r.identificativo = d.identificativo.clone();
            r.consegna = d.consegna.clone();
            r.certified_at = d.data.map(rfc3339);
        }
        let message_findings = inspection.findings.iter().map(|f| FindingLine {
            code: code_string(f.code),
            severity: code_string(f.severity),
            source: "message",
            message: f.message.clone(),
        });
        r.findings.splice(0..0, message_findings);
        r
    }

    /// The verdict on an artifact that is not a whole message (a loose daticert or `.p7s`).
    pub fn for_fragment(file: &str, artifact: &Artifact) -> Self {
        let (status, message) = match artifact {
            Artifact::Signature => (
                SignatureStatus::Indeterminate,
                "A signature file on its own cannot be checked: the message it signs is needed. \
                 Verify the .eml file it came with.",
            ),
            _ => (
                SignatureStatus::Unsigned,
                "A daticert.xml on its own carries no signature: only the signed message it came \
                 in is evidence. Verify the .eml file it came with.",
            ),
        };
        let mut r = VerifyReport::bare(file, PecKind::NotPec, SignatureReport::with_status(status));
        if let Artifact::Daticert(d) = artifact {
            r.kind = d.tipo.map(|t| t.as_str()).unwrap_or("none");
            r.label = "certification data (daticert.xml) on its own";
            r.provider = d.gestore_emittente.clone();
            r.msgid = d.msgid.clone();
            r.identificativo = d.identificativo.clone();
        } else {
            r.label = "a detached signature (smime.p7s) on its own";
        }
        r.findings.push(FindingLine {
            code: "not-a-message".to_owned(),
            severity: "warning".to_owned(),
            source: "message",
            message: message.to_owned(),
        });
        r
    }

    fn bare(file: &str, kind: PecKind, report: SignatureReport) -> Self {
        let findings = report
            .findings
            .iter()
            .map(|f| FindingLine {
                code: code_string(f.code),
                severity: code_string(f.severity),
                source: "signature",
                message: f.message.clone(),
            })
            .collect();
        VerifyReport {
            file: file.to_owned(),
            kind: kind.tipo(),
            label: kind.label(),
            provider: report.signer.as_ref().and_then(|s| s.organization.clone()),
            signature: SignatureLine {
                status: report.status,
                signed_at: report.signed_at.map(rfc3339),
                digest: report.digest_algorithm.map(code_string),
                algorithm: report.signature_algorithm.map(code_string),
                key_bits: report.key_bits,
                signer: report.signer,
                chain: report.chain,
            },
            msgid: None,
            identificativo: None,
            consegna: None,
            certified_at: None,
            findings,
        }
    }

    pub fn is_valid(&self) -> bool {
        self.signature.status == SignatureStatus::Valid
    }
}

/// The verdict in words, as a lawyer would want it said.
fn headline(status: SignatureStatus) -> &'static str {
    match status {
        SignatureStatus::Valid => {
            "VALID: signed by a recognised PEC provider; the content is exactly what it signed"
        }
        SignatureStatus::Invalid => {
            "INVALID: the content was altered after the provider signed it, or the signature does not match it"
        }
        SignatureStatus::Untrusted => {
            "UNTRUSTED: the signature matches the content, but its signer cannot be traced to a PEC certification authority at the time of signing"
        }
        SignatureStatus::Unsigned => {
            "UNSIGNED: no provider signature; this file is not evidence on its own"
        }
        SignatureStatus::Indeterminate => {
            "CANNOT DECIDE: the signature could not be checked (damaged or of an unsupported kind)"
        }
    }
}

/// The human form: a short block per file.
pub fn write_human(out: &mut impl Write, r: &VerifyReport) -> io::Result<()> {
    writeln!(out, "{}", r.file)?;
    writeln!(out, "  {}", headline(r.signature.status))?;
    writeln!(out, "  kind:        {} ({})", r.label, r.kind)?;
    let field = |out: &mut dyn Write, name: &str, value: Option<&str>| -> io::Result<()> {
        match value {
            Some(v) => writeln!(out, "  {name:<12} {v}"),
            None => Ok(()),
        }
    };
    field(out, "provider:", r.provider.as_deref())?;
    if let Some(s) = &r.signature.signer {
        let who = s.common_name.as_deref().unwrap_or(&s.subject);
        match &s.email {
            Some(email) => writeln!(out, "  signer:      {who} <{email}>")?,
            None => writeln!(out, "  signer:      {who}")?,
        }
    }
    field(out, "signed at:", r.signature.signed_at.as_deref())?;
    if let (Some(digest), Some(algorithm)) = (&r.signature.digest, &r.signature.algorithm) {
        let bits = r
            .signature
            .key_bits
            .map(|b| format!(", {b}-bit key"))
            .unwrap_or_default();
        writeln!(out, "  algorithm:   {algorithm} with {digest}{bits}")?;
    }
    if let Some(anchor) = r.signature.chain.iter().find(|l| l.is_anchor) {
        writeln!(out, "  trusted CA:  {}", anchor.subject)?;
    }
    field(out, "msgid:", r.msgid.as_deref())?;
    field(out, "id:", r.identificativo.as_deref())?;
    field(out, "consegna:", r.consegna.as_deref())?;
    for f in &r.findings {
        write_finding(out, "  ", &f.severity, &f.message, &f.code)?;
    }
    writeln!(out)
}

/// One finding line as every command prints it: `severity: message [code]`, after `indent`.
pub fn write_finding(
    out: &mut (impl Write + ?Sized),
    indent: &str,
    severity: &dyn std::fmt::Display,
    message: &str,
    code: &dyn std::fmt::Display,
) -> io::Result<()> {
    writeln!(
        out,
        "{indent}{:<12} {message} [{code}]",
        format!("{severity}:")
    )
}
