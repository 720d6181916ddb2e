//! The ERDS evidence a lab REM provider issues (ETSI EN 319 522-4-1 `Evidence`, namespace
//! `http://uri.etsi.org/19522/v1#`), unsigned, in the shape and element order of the AgID
//! REM-Policy-IT 1.2 kit: the event and its reason (the ETSI reason URI as `Code`, the Italian code
//! first in `Details`, then words), the times, the issuer's `LegalName`, sender and recipients by REM
//! address, `EvidenceRefersToRecipient` (consignment) or the relay extension's `RelayEvidenceRefersTo`,
//! the provider's `MessageIdentifier`, the original's `AppLayerIdentifier` and SHA-256 digest, and the
//! subject. `rem::xades` signs it.

use chrono::{DateTime, SecondsFormat, Utc};

/// One event a lab provider certifies, with REM-Policy-IT's reason code (as the kit writes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabEvent {
    /// `RA01`: the sender's provider accepted the message (also the evidence of the dispatch).
    SubmissionAcceptance,
    /// `RA05`: refused by the sender's provider's policy (limits, format).
    SubmissionRejection,
    /// `RD01`: consigned to the recipient's mailbox.
    ContentConsignment,
    /// `RD21`: not consigned, the recipient is not registered with its provider.
    ConsignmentFailureUnregistered,
    /// `RD03`: no news from the recipient's provider within the period (the lab's silent domain).
    ConsignmentFailureNoNews,
    /// `RF01`: relayed to an ordinary mailbox, evidence requested by the sender.
    RelayToNonErds,
}

impl LabEvent {
    /// (ETSI event name, ETSI reason, REM-Policy-IT code, words).
    pub fn parts(self) -> (&'static str, &'static str, &'static str, &'static str) {
        use LabEvent::*;
        match self {
            SubmissionAcceptance => (
                "SubmissionAcceptance",
                "MessageAccepted",
                "RA01",
                "Message accepted",
            ),
            SubmissionRejection => (
                "SubmissionRejection",
                "S_ERDS_PolicyViolation",
                "RA05",
                "Sender's ERDS provider's policy violation, e.g.: max message size exceeded, invalid attachment formats, etc.",
            ),
            ContentConsignment => (
                "ContentConsignment",
                "MessageConsignedToRecipient",
                "RD01",
                "Message successfully consigned to the recipient",
            ),
            ConsignmentFailureUnregistered => (
                "ContentConsignmentFailure",
                "MessageNotConsignedForUnregisteredRecipient",
                "RD21",
                "ERD message not consigned for: Unregistered recipient to Recipient's ERDSP",
            ),
            ConsignmentFailureNoNews => (
                "ContentConsignmentFailure",
                "S_ERDSP_ReceivedNoDeliveryInfoFromR_ERDSP",
                "RD03",
                "The sender's ERDSP received within a given period no information on consignment from the recipient's ERDSP",
            ),
            RelayToNonErds => (
                "RelayToNonERDS",
                "MessageRelayedToNonERDS",
                "RF01",
                "Successful relay to non ERDS",
            ),
        }
    }

    /// The ETSI event URI (`ERDSEventId`, `REM-EventIdentifier`).
    pub fn event_uri(self) -> String {
        format!("http://uri.etsi.org/19522/Event/{}", self.parts().0)
    }

    /// The ETSI reason URI (`Code`, `REM-ReasonIdentifier`).
    pub fn reason_uri(self) -> String {
        format!("http://uri.etsi.org/19522/EventReason/{}", self.parts().1)
    }

    /// REM-Policy-IT's code (`RD01`).
    pub fn code(self) -> &'static str {
        self.parts().2
    }
}

/// What one evidence states.
#[derive(Debug, Clone)]
pub struct EvidenceSpec<'a> {
    pub identifier: &'a str,
    pub event: LabEvent,
    pub event_time: DateTime<Utc>,
    pub submission_time: DateTime<Utc>,
    /// The issuing provider's legal name.
    pub issuer: &'a str,
    pub sender: &'a str,
    pub recipients: &'a [String],
    /// The recipient (1-based in `recipients`) a consignment evidence is about.
    pub refers_to: Option<usize>,
    /// The recipient (1-based) a relay evidence is about.
    pub relay_refers_to: Option<usize>,
    /// The provider's identifier of the REM message.
    pub message_identifier: &'a str,
    /// The user agent's Message-ID, with brackets.
    pub app_layer_identifier: Option<&'a str>,
    /// SHA-256 of the original as the dispatch carries it (base64).
    pub digest: Option<&'a str>,
    pub subject: &'a str,
}

/// Text escaped for XML character data and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl EvidenceSpec<'_> {
    /// The unsigned evidence (UTF-8 XML).
    pub fn to_xml(&self) -> String {
        let (_, _, code, words) = self.event.parts();
        let party = |tag: &str, address: &str| {
            format!(
                "<tns:{tag}><Identifier IdentifierSchemeName=\"mailto\">{}</Identifier></tns:{tag}>",
                escape(address)
            )
        };
        let mut x = String::with_capacity(4096);
        x.push_str(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<tns:Evidence xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:ext="http://uri.etsi.org/19532/v1#" "#,
            r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:tns="http://uri.etsi.org/19522/v1#" version="EN319522v1.1.1">"#,
        ));
        x += &format!(
            "<tns:EvidenceIdentifier>{}</tns:EvidenceIdentifier>",
            escape(self.identifier)
        );
        x += &format!(
            "<tns:ERDSEventId>{}</tns:ERDSEventId>",
            self.event.event_uri()
        );
        x += &format!(
            "<tns:EventReasons><tns:EventReason><Code>{}</Code><Details>{code}</Details><Details>{}</Details></tns:EventReason></tns:EventReasons>",
            self.event.reason_uri(),
            escape(words)
        );
        x += &format!("<EventTime>{}</EventTime>", time(self.event_time));
        x += concat!(
            "<tns:EvidenceIssuerPolicyID><PolicyID>http://uri.etsi.org/19532/v1#/REMbaseline</PolicyID>",
            "<PolicyID>https://eidas.agid.gov.it/REM/rem-policy-it#evidence-issuer-policy</PolicyID></tns:EvidenceIssuerPolicyID>"
        );
        x += &format!(
            concat!(
                "<tns:EvidenceIssuerDetails><tns:Identity><saml:Attribute FriendlyName=\"LegalName\" ",
                "Name=\"http://eidas.europa.eu/attributes/legalperson/LegalName\" ",
                "NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">",
                "<saml:AttributeValue>{}</saml:AttributeValue></saml:Attribute></tns:Identity></tns:EvidenceIssuerDetails>"
            ),
            escape(self.issuer)
        );
        x += &party("SenderDetails", self.sender);
        for r in self.recipients {
            x += &party("RecipientDetails", r);
        }
        x += &format!(
            "<tns:SubmissionTime>{}</tns:SubmissionTime>",
            time(self.submission_time)
        );
        if let Some(n) = self.refers_to {
            x += &format!("<EvidenceRefersToRecipient>{n}</EvidenceRefersToRecipient>");
        }
        x += &format!(
            "<tns:MessageIdentifier>{}</tns:MessageIdentifier>",
            escape(self.message_identifier)
        );
        x += "<tns:UserContentInfo>";
        if let Some(id) = self.app_layer_identifier {
            x += &format!("<AppLayerIdentifier>{}</AppLayerIdentifier>", escape(id));
        }
        if let Some(digest) = self.digest {
            x += &format!(
                concat!(
                    "<ComposingParts>1</ComposingParts><tns:PartsInfo><tns:PartInfo>",
                    "<Identifier>urn:oid:1.3.6.1.7</Identifier><ContentType>message/rfc822</ContentType>",
                    "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>",
                    "<ds:DigestValue>{}</ds:DigestValue></tns:PartInfo></tns:PartsInfo>"
                ),
                digest
            );
        }
        x += "</tns:UserContentInfo><tns:Extensions>";
        x += &format!(
            "<tns:Extension isCritical=\"false\"><ext:GeneralEvidenceInfo><ext:Subject>{}</ext:Subject></ext:GeneralEvidenceInfo></tns:Extension>",
            escape(self.subject)
        );
        if let Some(n) = self.relay_refers_to {
            x += &format!(
                "<tns:Extension isCritical=\"false\"><ext:RelayEvidenceInfo><ext:RelayEvidenceRefersTo>{n}</ext:RelayEvidenceRefersTo></ext:RelayEvidenceInfo></tns:Extension>"
            );
        }
        x += "</tns:Extensions></tns:Evidence>";
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_subject_stays_text() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{0}y"), "x y");
    }
}
