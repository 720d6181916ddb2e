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

/// The verdict on a REM evidence's own XAdES signature.
#[derive(Debug, Serialize)]
pub struct EvidenceLine {
    pub status: SignatureStatus,
    /// The signed `SigningTime`.
    pub signed_at: Option<String>,
    /// The signature timestamp's time (whether or not its TSA is trusted: see `timestamp_status`).
    pub timestamp_at: Option<String>,
    pub timestamp_status: Option<SignatureStatus>,
    /// The timestamp authority.
    pub tsa: Option<SignerInfo>,
    /// Which time the certificates were judged at (`timestamp`, `signing-time`, `none`).
    pub time_basis: String,
    /// Whether the original a dispatch carries has the digest the evidence names.
    pub digest_matches: Option<bool>,
    /// Whether the evidence's signer was a qualified REM service (EDS/REM/Q on an imported Trusted
    /// List) at the time the signature rests on: `true`, `false`, or `"unknown"` with no list imported.
    pub qualified: pec_document::Qualified,
    pub signer: Option<SignerInfo>,
    pub chain: Vec<ChainLink>,
}

/// Everything `verify` prints for one file.
#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub file: String,
    /// `pec`, `rem` or `none`.
    pub family: &'static str,
    /// PEC: daticert `tipo`, `anomalia`, or `none`. REM: `dispatch` or the evidence's event.
    pub kind: &'static str,
    /// REM: the reason code.
    pub reason: Option<String>,
    pub label: &'static str,
    pub signature: SignatureLine,
    /// REM: the evidence's XAdES verdict.
    pub evidence: Option<EvidenceLine>,
    /// The issuing provider: daticert's `gestore-emittente`, else the signer's organisation.
    pub provider: Option<String>,
    pub msgid: Option<String>,
    pub identificativo: Option<String>,
    pub consegna: Option<String>,
    /// The certified time (daticert), UTC.
    pub certified_at: Option<String>,
    pub findings: Vec<FindingLine>,
    /// A REM reading found an error (a swapped original, two evidences, none).
    #[serde(skip)]
    rem_errors: bool,
}

/// Whether a REM evidence's signer was a qualified REM service when it signed (issue 14 §3): only a
/// `valid` evidence can be; the service must be EDS/REM/Q (or EDS/Q) in force at the judged time on an
/// imported list, identified by the signer's own certificate.
pub fn rem_qualified(
    lists: Option<&pec_trusted_list::TrustedLists>,
    xades: Option<&pec_rem::XadesReport>,
) -> pec_document::Qualified {
    use pec_document::Qualified;
    let Some(lists) = lists else {
        return Qualified::Unknown;
    };
    match xades {
        Some(x) if x.status == SignatureStatus::Valid => {
            let listed = x
                .path
                .first()
                .zip(x.judged_at)
                .and_then(|(signer, at)| lists.qualified_rem_at(signer, at));
            if listed.is_some() {
                Qualified::Yes
            } else {
                Qualified::No
            }
        }
        _ => Qualified::No,
    }
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
        if r.kind != PecKind::NotPec.tipo() {
            r.family = "pec";
        }
        r
    }

    /// Adds what a REM message's signed evidence says, and its own signature's verdict.
    pub fn add_rem(
        &mut self,
        rem: &pec_rem::RemMessage,
        xades: Option<pec_rem::XadesReport>,
        qualified: pec_document::Qualified,
    ) {
        let summary = rem.summary();
        self.family = "rem";
        self.kind = summary.kind;
        self.reason = summary.reason;
        self.label = if rem.is_dispatch() {
            "REM dispatch"
        } else {
            "REM receipt"
        };
        if let Some(e) = &rem.evidence {
            self.provider = e.issuer.clone().or(self.provider.take());
            self.msgid = e.app_layer_identifier.clone();
            self.identificativo = e.message_identifier.clone();
            self.certified_at = e.event_time.map(rfc3339);
        }
        self.findings
            .extend(rem.findings.iter().map(|f| FindingLine {
                code: code_string(f.code),
                severity: code_string(f.severity),
                source: "message",
                message: f.message.clone(),
            }));
        self.rem_errors = rem
            .findings
            .iter()
            .any(|f| f.severity == pec_core::Severity::Error);
        if rem.evidence_xml.is_none() {
            return;
        }
        let Some(xades) = xades else {
            self.evidence = Some(EvidenceLine {
                status: SignatureStatus::Indeterminate,
                signed_at: None,
                timestamp_at: None,
                timestamp_status: None,
                tsa: None,
                time_basis: "none".to_owned(),
                digest_matches: rem.digest_matches,
                qualified,
                signer: None,
                chain: Vec::new(),
            });
            return;
        };
        self.findings
            .extend(xades.signature.findings.iter().map(|f| FindingLine {
                code: code_string(f.code),
                severity: code_string(f.severity),
                source: "evidence",
                message: f.message.clone(),
            }));
        self.evidence = Some(EvidenceLine {
            status: xades.status,
            signed_at: xades.signed_at.map(rfc3339),
            timestamp_at: xades.timestamp.as_ref().and_then(|t| t.time).map(rfc3339),
            timestamp_status: xades.timestamp.as_ref().map(|t| t.status),
            tsa: xades.timestamp.as_ref().and_then(|t| t.tsa.clone()),
            time_basis: code_string(xades.time_basis),
            digest_matches: rem.digest_matches,
            qualified,
            signer: xades.signature.signer,
            chain: xades.signature.chain,
        });
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
            family: "none",
            kind: kind.tipo(),
            reason: None,
            evidence: None,
            rem_errors: false,
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

    /// Valid when the provider's signature is; for REM, also the evidence's own signature, with no
    /// error in the reading of the message.
    pub fn is_valid(&self) -> bool {
        self.signature.status == SignatureStatus::Valid
            && self
                .evidence
                .as_ref()
                .is_none_or(|e| e.status == SignatureStatus::Valid)
            && !self.rem_errors
    }
}

/// The verdict in words for `family` (`rem` names REM providers and trusted authorities).
fn headline_for(status: SignatureStatus, family: &str) -> String {
    let words = headline(status);
    if family == "rem" {
        words
            .replace("a recognised PEC provider", "a recognised REM provider")
            .replace(
                "a PEC certification authority",
                "a trusted certification authority",
            )
    } else {
        words.to_owned()
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
    writeln!(out, "  {}", headline_for(r.signature.status, r.family))?;
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
    if let Some(reason) = &r.reason {
        writeln!(out, "  reason:      {reason}")?;
    }
    if let Some(e) = &r.evidence {
        writeln!(out, "  evidence:    {}", headline_for(e.status, "rem"))?;
        field(out, "  signed at:", e.signed_at.as_deref())?;
        if let (Some(at), Some(status)) = (&e.timestamp_at, e.timestamp_status) {
            let tsa = e
                .tsa
                .as_ref()
                .map(|t| t.common_name.clone().unwrap_or_else(|| t.subject.clone()))
                .unwrap_or_default();
            writeln!(
                out,
                "    timestamp: {at} by {tsa} ({})",
                code_string(status)
            )?;
        }
        if let Some(matches) = e.digest_matches {
            let said = if matches { "matches" } else { "DOES NOT MATCH" };
            writeln!(out, "    original:  {said} the digest in the evidence")?;
        }
    }
    field(out, "msgid:", r.msgid.as_deref())?;
    field(out, "id:", r.identificativo.as_deref())?;
    field(out, "consegna:", r.consegna.as_deref())?;
    for f in &r.findings {
        // A REM message has two signatures: say which one a finding is about.
        let message = match f.source {
            "evidence" => format!("evidence: {}", f.message),
            _ => f.message.clone(),
        };
        write_finding(out, "  ", &f.severity, &message, &f.code)?;
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
