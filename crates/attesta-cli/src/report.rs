//! The facts printed for one file, shared by the human and the JSON output.

use std::io::{self, Write};

use pec_core::{Artifact, Finding, PecKind};
use serde::Serialize;

/// One recipient as certified.
#[derive(Debug, Serialize)]
pub struct RecipientLine {
    pub address: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// One attachment of the original message.
#[derive(Debug, Serialize)]
pub struct AttachmentLine {
    pub name: String,
    pub content_type: String,
    pub size: usize,
}

/// What `inspect` says about one file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    /// `message`, `daticert` or `signature`.
    pub artifact: &'static str,
    /// `pec`, `rem` or `none`: which certified-mail family the signed data belongs to.
    pub family: &'static str,
    /// PEC: daticert `tipo`, `anomalia`, or `none`. REM: `dispatch`, or the signed evidence's event
    /// in kebab case (`content-consignment`, `relay-failure`, …).
    pub kind: &'static str,
    /// REM: the reason code (`RD01`), or the ETSI reason's last segment when no code is given.
    pub reason: Option<String>,
    /// `12h` or `24h` for the two non-delivery notices.
    pub notice: Option<&'static str>,
    pub virus: bool,
    pub label: &'static str,
    pub provider: Option<String>,
    pub sender: Option<String>,
    pub recipients: Vec<RecipientLine>,
    pub subject: Option<String>,
    pub identificativo: Option<String>,
    pub msgid: Option<String>,
    pub consegna: Option<String>,
    /// The certified time, UTC, RFC 3339.
    pub certified_at: Option<String>,
    pub receipt_type: Option<&'static str>,
    pub errore: Option<String>,
    pub errore_esteso: Option<String>,
    pub attachments: Vec<AttachmentLine>,
    pub signed: bool,
    pub findings: Vec<Finding>,
}

impl FileReport {
    pub fn new(file: &str, artifact: &Artifact) -> FileReport {
        let mut r = FileReport {
            file: file.to_owned(),
            artifact: "message",
            family: "none",
            kind: PecKind::NotPec.tipo(),
            reason: None,
            notice: None,
            virus: false,
            label: PecKind::NotPec.label(),
            provider: None,
            sender: None,
            recipients: Vec::new(),
            subject: None,
            identificativo: None,
            msgid: None,
            consegna: None,
            certified_at: None,
            receipt_type: None,
            errore: None,
            errore_esteso: None,
            attachments: Vec::new(),
            signed: false,
            findings: Vec::new(),
        };
        match artifact {
            Artifact::Message(i) => {
                r.kind = i.kind.tipo();
                r.notice = i.kind.notice_stage();
                r.virus = i.virus;
                r.label = i.kind.label();
                r.signed = i.structure.signed.is_some();
                r.findings = i.findings.clone();
                r.subject = i.headers.subject.clone();
                r.sender = i.headers.from.clone();
                if let Some(o) = &i.original {
                    r.attachments = o
                        .attachments
                        .iter()
                        .map(|a| AttachmentLine {
                            name: a.name.clone(),
                            content_type: a.content_type.clone(),
                            size: a.size,
                        })
                        .collect();
                }
                if let Some(d) = &i.daticert {
                    r.fill_from_daticert(d);
                }
            }
            Artifact::Daticert(d) => {
                r.artifact = "daticert";
                r.kind = d.tipo.map(|t| t.as_str()).unwrap_or("none");
                r.label = "certification data (daticert.xml) on its own";
                r.fill_from_daticert(d);
                if !d.repairs.is_empty() {
                    let what: Vec<&str> = d.repairs.iter().map(|x| x.detail.as_str()).collect();
                    r.findings.push(Finding::new(
                        pec_core::FindingCode::DaticertRepaired,
                        format!("daticert.xml was read leniently: {}", what.join("; ")),
                    ));
                }
            }
            Artifact::Signature => {
                r.artifact = "signature";
                r.kind = "none";
                r.label = "a detached signature (smime.p7s) on its own";
            }
            Artifact::NotMail(_) => {}
        }
        if r.kind != PecKind::NotPec.tipo() {
            r.family = "pec";
        }
        r
    }

    /// A message read as REM: its kind, reason and facts come from the signed evidence.
    pub fn fill_from_rem(&mut self, rem: &pec_rem::RemMessage) {
        let summary = rem.summary();
        self.family = "rem";
        self.kind = summary.kind;
        self.reason = summary.reason;
        self.label = if rem.is_dispatch() {
            "REM dispatch"
        } else {
            "REM receipt"
        };
        self.findings.extend(rem.findings.iter().cloned());
        let Some(e) = &rem.evidence else {
            return;
        };
        self.provider = e.issuer.clone();
        if let Some(sender) = e.sender.as_ref().and_then(|s| s.address.clone()) {
            self.sender = Some(sender);
        }
        self.recipients = e
            .recipients
            .iter()
            .filter_map(|p| p.address.clone())
            .map(|address| RecipientLine {
                address,
                kind: "rem",
            })
            .collect();
        if e.subject.is_some() {
            self.subject = e.subject.clone();
        }
        self.identificativo = e.message_identifier.clone();
        self.msgid = e.app_layer_identifier.clone();
        self.certified_at = e
            .event_time
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }

    fn fill_from_daticert(&mut self, d: &pec_core::Daticert) {
        self.provider = d.gestore_emittente.clone();
        self.sender = d.mittente.clone().or(self.sender.take());
        self.recipients = d
            .destinatari
            .iter()
            .map(|rc| RecipientLine {
                address: rc.address.clone(),
                kind: match rc.kind {
                    pec_core::RecipientType::Certificato => "certificato",
                    pec_core::RecipientType::Esterno => "esterno",
                },
            })
            .collect();
        if d.oggetto.is_some() {
            self.subject = d.oggetto.clone();
        }
        self.identificativo = d.identificativo.clone();
        self.msgid = d.msgid.clone();
        self.consegna = d.consegna.clone();
        self.certified_at = d
            .data
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        self.receipt_type = d.ricevuta.map(|t| t.as_str());
        self.errore = match d.errore {
            pec_core::Errore::Nessuno => None,
            e => serde_json::to_value(e)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned)),
        };
        self.errore_esteso = d.errore_esteso.clone();
    }
}

/// The human form: a short block per file.
pub fn write_human(out: &mut impl Write, r: &FileReport) -> io::Result<()> {
    writeln!(out, "{}", r.file)?;
    writeln!(out, "  kind:           {} ({})", r.label, r.kind)?;
    if let Some(reason) = &r.reason {
        writeln!(out, "  reason:         {reason}")?;
    }
    let field = |out: &mut dyn Write, name: &str, value: &Option<String>| -> io::Result<()> {
        if let Some(v) = value {
            writeln!(out, "  {name:<15} {v}")?;
        }
        Ok(())
    };
    field(out, "provider:", &r.provider)?;
    field(out, "sender:", &r.sender)?;
    for (n, rc) in r.recipients.iter().enumerate() {
        let label = if n == 0 { "recipients:" } else { "" };
        writeln!(out, "  {label:<15} {} ({})", rc.address, rc.kind)?;
    }
    field(out, "subject:", &r.subject)?;
    field(out, "identificativo:", &r.identificativo)?;
    field(out, "msgid:", &r.msgid)?;
    field(out, "consegna:", &r.consegna)?;
    field(out, "certified at:", &r.certified_at)?;
    field(out, "receipt type:", &r.receipt_type.map(str::to_owned))?;
    field(out, "errore:", &r.errore)?;
    field(out, "errore-esteso:", &r.errore_esteso)?;
    for (n, a) in r.attachments.iter().enumerate() {
        let label = if n == 0 { "attachments:" } else { "" };
        writeln!(
            out,
            "  {label:<15} {} ({}, {} bytes)",
            a.name, a.content_type, a.size
        )?;
    }
    for f in &r.findings {
        writeln!(out, "  finding:        [{:?}] {}", f.severity, f.message)?;
    }
    writeln!(out)
}
