//! The facts of an ERDS evidence (ETSI EN 319 522-4-1 `Evidence`), read from the same tree whose
//! XAdES signature `xades` verifies: the event and its reasons, when it happened, who sent to whom
//! (with their eIDAS identity and assurance level), which message (the provider's
//! `MessageIdentifier`, the user agent's `AppLayerIdentifier`) and the digest of each original part.
//!
//! An element the standard allows once and that appears twice is refused ([`EvidenceError::Repeated`]):
//! a reader that takes the first and a verifier that shows the second would certify different facts.

use chrono::{DateTime, Utc};
use serde::Serialize;
use xml_sec::{Document, Node};

use crate::event::RemEvent;
use crate::xml::{self, DS, ERDS, REM_EXT, SAML, erds_children, text};

/// Why the evidence's facts could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("the root element is {found}, not an ERDS Evidence")]
    NotEvidence { found: String },
    #[error("the evidence states {element} more than once")]
    Repeated { element: &'static str },
    #[error("the evidence lacks {0}")]
    Missing(&'static str),
    #[error("the evidence's {field} is not valid: {value:?}")]
    Invalid { field: &'static str, value: String },
}

/// One reason given for the event (`EventReasons/EventReason`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventReason {
    /// The ETSI reason URI (`…/EventReason/MessageConsignedToRecipient`).
    pub code: Option<String>,
    /// Free details; REM-Policy-IT puts its code (`RD01`) first, then words.
    pub details: Vec<String>,
}

/// A sender or a recipient as the evidence names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Party {
    /// The REM address (`Identifier IdentifierSchemeName="mailto"`).
    pub address: Option<String>,
    /// eIDAS identity attributes (`FriendlyName` → value): `PersonIdentifier`, `LegalName`, …
    pub identity: Vec<(String, String)>,
    /// The eIDAS level of assurance of the sender's identification (`…/LoA/substantial`).
    pub assurance_level: Option<String>,
}

/// The digest of one part of the user's content (`PartsInfo/PartInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartDigest {
    pub identifier: Option<String>,
    pub content_type: Option<String>,
    /// The XML digest algorithm URI.
    pub algorithm: String,
    /// The digest, base64 in JSON (as the evidence writes it).
    #[serde(serialize_with = "crate::serialize_base64")]
    pub value: Vec<u8>,
}

/// What a signed ERDS evidence states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub identifier: Option<String>,
    /// The `ERDSEventId` as written.
    pub event_uri: String,
    /// The event, when it is one ETSI defines.
    pub event: Option<RemEvent>,
    pub reasons: Vec<EventReason>,
    pub event_time: Option<DateTime<Utc>>,
    /// The provider that issued the evidence (its `LegalName`).
    pub issuer: Option<String>,
    pub sender: Option<Party>,
    pub recipients: Vec<Party>,
    /// Which recipient (1-based, in `RecipientDetails` order) this evidence is about, when it names one.
    pub refers_to_recipient: Option<usize>,
    /// REM-Policy-IT's relay extension (`ext:RelayEvidenceRefersTo`): the recipients (1-based) a relay
    /// acceptance, rejection or failure is about.
    pub relay_refers_to: Vec<usize>,
    pub submission_time: Option<DateTime<Utc>>,
    /// The provider's identifier of the REM message.
    pub message_identifier: Option<String>,
    /// The user agent's Message-ID of the original.
    pub app_layer_identifier: Option<String>,
    pub parts: Vec<PartDigest>,
    /// The original's subject (REM extension `GeneralEvidenceInfo/Subject`).
    pub subject: Option<String>,
}

impl Evidence {
    /// Reads the facts of a parsed evidence.
    pub fn read(doc: &Document<'_>) -> Result<Evidence, EvidenceError> {
        let root = doc.root_element();
        if !(root.tag_name().name() == "Evidence" && root.tag_name().namespace() == Some(ERDS)) {
            return Err(EvidenceError::NotEvidence {
                found: root.tag_name().name().to_owned(),
            });
        }
        let event_uri = once(root, "ERDSEventId")?
            .map(text)
            .ok_or(EvidenceError::Missing("ERDSEventId"))?;
        let event = RemEvent::from_uri(&event_uri);
        let reasons = erds_children(root, "EventReasons")
            .flat_map(|r| erds_children(r, "EventReason"))
            .map(|r| EventReason {
                code: erds_children(r, "Code").next().map(text),
                details: erds_children(r, "Details").map(text).collect(),
            })
            .collect();
        let content = once(root, "UserContentInfo")?;
        let app_layer_identifier = match content {
            Some(c) => once(c, "AppLayerIdentifier")?.map(text),
            None => None,
        };
        let parts = content
            .into_iter()
            .flat_map(|c| erds_children(c, "PartsInfo"))
            .flat_map(|p| erds_children(p, "PartInfo"))
            .map(part_digest)
            .collect::<Result<Vec<_>, _>>()?;
        let refers_to_recipient = match once(root, "EvidenceRefersToRecipient")?.map(text) {
            Some(n) => Some(n.parse::<usize>().map_err(|_| EvidenceError::Invalid {
                field: "EvidenceRefersToRecipient",
                value: n,
            })?),
            None => None,
        };
        let relay_refers_to = root
            .descendants()
            .filter(|n| xml::is(*n, REM_EXT, "RelayEvidenceRefersTo"))
            .map(|n| {
                let t = text(n);
                t.parse::<usize>().map_err(|_| EvidenceError::Invalid {
                    field: "RelayEvidenceRefersTo",
                    value: t,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Evidence {
            relay_refers_to,
            identifier: once(root, "EvidenceIdentifier")?.map(text),
            event,
            event_uri,
            reasons,
            event_time: time(root, "EventTime")?,
            issuer: once(root, "EvidenceIssuerDetails")?
                .and_then(|d| identity(d).into_iter().find(|(k, _)| k == "LegalName"))
                .map(|(_, v)| v),
            sender: once(root, "SenderDetails")?.map(party),
            recipients: erds_children(root, "RecipientDetails").map(party).collect(),
            refers_to_recipient,
            submission_time: time(root, "SubmissionTime")?,
            message_identifier: once(root, "MessageIdentifier")?.map(text),
            app_layer_identifier,
            parts,
            subject: root
                .descendants()
                .find(|n| xml::is(*n, REM_EXT, "Subject"))
                .map(text),
        })
    }

    /// The reason's code: REM-Policy-IT's own (`RD01`, `RB02`, …) when a `Details` gives one, else the
    /// last segment of the ETSI reason URI.
    pub fn reason_code(&self) -> Option<String> {
        let italian = self
            .reasons
            .iter()
            .flat_map(|r| r.details.iter())
            .find(|d| is_policy_it_code(d));
        italian.cloned().or_else(|| {
            self.reasons
                .iter()
                .filter_map(|r| r.code.as_deref())
                .filter_map(|c| c.rsplit('/').next())
                .find(|s| !s.is_empty())
                .map(str::to_owned)
        })
    }

    /// The recipient this evidence is about: the one `EvidenceRefersToRecipient` names, else the one
    /// relay extension names, else the only one. `None` when it is about several or it cannot be said.
    pub fn recipient(&self) -> Option<&Party> {
        let index = match (self.refers_to_recipient, self.relay_refers_to.as_slice()) {
            (Some(n), _) => Some(n),
            (None, [n]) => Some(*n),
            (None, []) if self.recipients.len() == 1 => Some(1),
            _ => None,
        };
        index
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.recipients.get(i))
    }
}

/// `RA01`…`RF99`: two capitals and two digits, the REM-Policy-IT reason codes.
fn is_policy_it_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4
        && b[0] == b'R'
        && b[1].is_ascii_uppercase()
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
}

/// The one child `local` of `node`, refusing a second.
fn once<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'static str,
) -> Result<Option<Node<'a, 'i>>, EvidenceError> {
    let mut found = erds_children(node, local);
    let first = found.next();
    if found.next().is_some() {
        return Err(EvidenceError::Repeated { element: local });
    }
    Ok(first)
}

fn time(node: Node<'_, '_>, local: &'static str) -> Result<Option<DateTime<Utc>>, EvidenceError> {
    once(node, local)?
        .map(text)
        .map(|t| {
            DateTime::parse_from_rfc3339(&t)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| EvidenceError::Invalid {
                    field: local,
                    value: t,
                })
        })
        .transpose()
}

fn identity(details: Node<'_, '_>) -> Vec<(String, String)> {
    erds_children(details, "Identity")
        .flat_map(|i| i.children().filter(|c| xml::is(*c, SAML, "Attribute")))
        .filter_map(|a| {
            let name = a
                .attribute("FriendlyName")
                .or_else(|| a.attribute("Name"))?;
            let value = xml::child(a, SAML, "AttributeValue").map(text)?;
            Some((name.to_owned(), value))
        })
        .collect()
}

fn party(details: Node<'_, '_>) -> Party {
    Party {
        address: erds_children(details, "Identifier")
            .find(|i| i.attribute("IdentifierSchemeName") == Some("mailto"))
            .map(text),
        identity: identity(details),
        assurance_level: erds_children(details, "AssuranceLevelsDetails")
            .flat_map(|a| erds_children(a, "GlobalAssuranceLevel"))
            .flat_map(|g| erds_children(g, "AssuranceLevel"))
            .map(text)
            .next(),
    }
}

fn part_digest(info: Node<'_, '_>) -> Result<PartDigest, EvidenceError> {
    let method = xml::child(info, DS, "DigestMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .ok_or(EvidenceError::Missing("PartInfo/DigestMethod"))?;
    let value = xml::child(info, DS, "DigestValue")
        .map(text)
        .ok_or(EvidenceError::Missing("PartInfo/DigestValue"))?;
    Ok(PartDigest {
        identifier: erds_children(info, "Identifier").next().map(text),
        content_type: erds_children(info, "ContentType").next().map(text),
        algorithm: method.to_owned(),
        value: crate::base64(&value).ok_or(EvidenceError::Invalid {
            field: "PartInfo/DigestValue",
            value,
        })?,
    })
}
