//! The ERDS events a REM evidence can attest (ETSI EN 319 522-2 §8.1, `ERDSEventId`), one closed set
//! spelled in kebab case as `inspect --json` prints them (`content-consignment`, `received-from-non-erds`).
//!
//! The evidence names its event by URI (`http://uri.etsi.org/19522/Event/ContentConsignment`); a URI
//! outside this set is kept as written and read as no known event.

pec_core::closed_set! {
    /// What happened, according to a signed REM evidence.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum RemEvent {
        /// The sender's provider accepted the message (PEC: accettazione).
        SubmissionAcceptance = "submission-acceptance",
        /// The sender's provider refused it (PEC: non accettazione).
        SubmissionRejection = "submission-rejection",
        /// The recipient's provider took the message over from the sender's (PEC: presa in carico).
        RelayAcceptance = "relay-acceptance",
        /// The recipient's provider refused to take it over.
        RelayRejection = "relay-rejection",
        /// The message could not be relayed to the recipient's provider.
        RelayFailure = "relay-failure",
        /// The message was put at the recipient's disposal (PEC: avvenuta consegna).
        ContentConsignment = "content-consignment",
        /// It could not be (PEC: mancata consegna).
        ContentConsignmentFailure = "content-consignment-failure",
        /// The recipient took the content.
        ContentHandover = "content-handover",
        /// Handing the content over failed.
        ContentHandoverFailure = "content-handover-failure",
        /// The recipient accepted the message.
        AcceptanceByRecipient = "acceptance-by-recipient",
        /// The recipient refused the message.
        RejectionByRecipient = "rejection-by-recipient",
        /// The recipient was notified that a message waits for acceptance.
        NotificationForAcceptance = "notification-for-acceptance",
        /// That notification failed.
        NotificationForAcceptanceFailure = "notification-for-acceptance-failure",
        /// The message left the REM world for an ordinary mailbox.
        RelayToNonErds = "relay-to-non-erds",
        /// Relaying to an ordinary mailbox failed.
        RelayToNonErdsFailure = "relay-to-non-erds-failure",
        /// The message came in from an ordinary mailbox.
        ReceivedFromNonErds = "received-from-non-erds",
    }
}

/// The prefix of every ERDS event URI.
pub const EVENT_URI_PREFIX: &str = "http://uri.etsi.org/19522/Event/";

impl RemEvent {
    /// The event an `ERDSEventId` URI names, if it is one of the set.
    pub fn from_uri(uri: &str) -> Option<RemEvent> {
        let name = uri.trim().strip_prefix(EVENT_URI_PREFIX)?;
        RemEvent::ALL.into_iter().find(|e| e.etsi_name() == name)
    }

    /// The event's name as ETSI writes it (`ContentConsignment`, `RelayToNonERDS`).
    pub fn etsi_name(self) -> &'static str {
        use RemEvent::*;
        match self {
            SubmissionAcceptance => "SubmissionAcceptance",
            SubmissionRejection => "SubmissionRejection",
            RelayAcceptance => "RelayAcceptance",
            RelayRejection => "RelayRejection",
            RelayFailure => "RelayFailure",
            ContentConsignment => "ContentConsignment",
            ContentConsignmentFailure => "ContentConsignmentFailure",
            ContentHandover => "ContentHandover",
            ContentHandoverFailure => "ContentHandoverFailure",
            AcceptanceByRecipient => "AcceptanceByRecipient",
            RejectionByRecipient => "RejectionByRecipient",
            NotificationForAcceptance => "NotificationForAcceptance",
            NotificationForAcceptanceFailure => "NotificationForAcceptanceFailure",
            RelayToNonErds => "RelayToNonERDS",
            RelayToNonErdsFailure => "RelayToNonERDSFailure",
            ReceivedFromNonErds => "ReceivedFromNonERDS",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_are_sound() {
        pec_core::closed_set::assert_spellings_are_sound::<RemEvent>();
    }

    #[test]
    fn every_event_reads_back_from_its_uri() {
        for event in RemEvent::ALL {
            let uri = format!("{EVENT_URI_PREFIX}{}", event.etsi_name());
            assert_eq!(RemEvent::from_uri(&uri), Some(event));
        }
        assert_eq!(
            RemEvent::from_uri("http://uri.etsi.org/19522/Event/contentconsignment"),
            None
        );
        assert_eq!(RemEvent::from_uri("ContentConsignment"), None);
    }
}
