//! What a Trusted List says, as read (TS 119 612 §5): the scheme, the pointers to other lists, the
//! providers and their services with each service's history.
//!
//! Built by `read`; verified by `verify`; queried through `TrustedLists`. A `TrustedList` on its own is
//! only a reading: it is a fact once `verify` has checked the signature over exactly these bytes.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::qualification::{AdditionalInfo, Qualification};
use crate::service_type::ServiceType;
use crate::status::ServiceStatus;

/// One Trusted List (an EU list of lists or a national list), read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustedList {
    pub scheme: SchemeInfo,
    /// `PointersToOtherTSL`: for the EU list of lists, one per national list (and the LOTL's own).
    pub pointers: Vec<ListPointer>,
    /// `TrustServiceProviderList` (empty for a list of lists).
    pub providers: Vec<TrustServiceProvider>,
}

impl TrustedList {
    /// Every service of every provider, with its provider.
    pub fn services(&self) -> impl Iterator<Item = (&TrustServiceProvider, &TrustService)> {
        self.providers
            .iter()
            .flat_map(|p| p.services.iter().map(move |s| (p, s)))
    }

    /// The pointers that name a list of `territory` (two-letter code, e.g. `IT`).
    pub fn pointers_to(&self, territory: &str) -> impl Iterator<Item = &ListPointer> {
        let territory = territory.to_owned();
        self.pointers
            .iter()
            .filter(move |p| p.territory.as_deref() == Some(territory.as_str()))
    }
}

/// `SchemeInformation` (TS 119 612 §5.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeInfo {
    /// `TSLVersionIdentifier` (5 for TS 119 612 v2).
    pub version: u32,
    /// `TSLSequenceNumber`: grows by one with every issue of the list.
    pub sequence_number: u64,
    pub list_type: ListType,
    /// `SchemeTerritory` (`EU` for the list of lists).
    pub territory: String,
    /// `SchemeOperatorName`, in English when given, else the first name.
    pub operator_name: String,
    /// `ListIssueDateTime`.
    pub issued: DateTime<Utc>,
    /// `NextUpdate/dateTime` (absent for a closed list).
    pub next_update: Option<DateTime<Utc>>,
}

impl SchemeInfo {
    /// Whether the list is the one to use at `at`: issued by then and not past its next update. A list
    /// past its `NextUpdate` is still a fact about the past (its history stays readable); the caller
    /// decides whether to warn or to fetch a newer one.
    pub fn is_current_at(&self, at: DateTime<Utc>) -> bool {
        self.issued <= at && self.next_update.is_none_or(|n| at < n)
    }
}

/// `TSLType` (TS 119 612 §5.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ListType {
    /// `EUlistofthelists`: the EU list of Trusted Lists.
    EuListOfTheLists,
    /// `EUgeneric`: an EU Member State's Trusted List.
    EuGeneric,
    /// Any other type URI, verbatim.
    Other(String),
}

const TSL_TYPE: &str = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/";

impl ListType {
    pub fn from_uri(uri: &str) -> Self {
        match uri.strip_prefix(TSL_TYPE) {
            Some("EUlistofthelists") => Self::EuListOfTheLists,
            Some("EUgeneric") => Self::EuGeneric,
            _ => Self::Other(uri.to_owned()),
        }
    }

    pub fn uri(&self) -> String {
        match self {
            Self::EuListOfTheLists => format!("{TSL_TYPE}EUlistofthelists"),
            Self::EuGeneric => format!("{TSL_TYPE}EUgeneric"),
            Self::Other(uri) => uri.clone(),
        }
    }
}

/// `OtherTSLPointer` (TS 119 612 §5.3.13): where another list is and who may sign it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListPointer {
    /// `SchemeTerritory` of the pointed list.
    pub territory: Option<String>,
    /// `TSLLocation`.
    pub location: String,
    pub list_type: Option<ListType>,
    /// `MimeType` (`application/vnd.etsi.tsl+xml` for the XML list, `application/pdf` for its PDF twin).
    pub mime_type: Option<String>,
    /// The certificates (DER) allowed to sign the pointed list.
    pub signing_certificates: Vec<Vec<u8>>,
}

/// `TrustServiceProvider` (TS 119 612 §5.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustServiceProvider {
    /// `TSPName`, in English when given, else the first name.
    pub name: String,
    /// `TSPTradeName`s, every language.
    pub trade_names: Vec<String>,
    pub services: Vec<TrustService>,
}

/// `TSPService` (TS 119 612 §5.5–5.6): the current information and the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrustService {
    /// `ServiceInformation`.
    pub current: ServicePhase,
    /// `ServiceHistory`, as listed (newest first in real lists, but never relied upon).
    pub history: Vec<ServicePhase>,
}

/// One state of a service: the current `ServiceInformation` or one `ServiceHistoryInstance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServicePhase {
    pub service_type: ServiceType,
    /// `ServiceName`, in English when given, else the first name.
    pub name: String,
    pub identity: DigitalIdentity,
    pub status: ServiceStatus,
    /// `StatusStartingTime`: when this status began.
    pub since: DateTime<Utc>,
    /// The `Qualifications` extension (meaningful for CA/QC).
    pub qualifications: Vec<Qualification>,
    /// `AdditionalServiceInformation` URIs.
    pub additional_info: Vec<AdditionalInfo>,
}

/// `ServiceDigitalIdentity` (TS 119 612 §5.5.3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DigitalIdentity {
    /// `X509Certificate`s, DER.
    pub certificates: Vec<Vec<u8>>,
    /// `X509SubjectName`s, as written (RFC 4514-like text).
    pub subject_names: Vec<String>,
    /// `X509SKI`s: the subject key identifiers.
    pub skis: Vec<Vec<u8>>,
}

impl TrustService {
    pub fn service_type(&self) -> &ServiceType {
        &self.current.service_type
    }
    pub fn name(&self) -> &str {
        &self.current.name
    }
    pub fn status(&self) -> &ServiceStatus {
        &self.current.status
    }
    pub fn status_since(&self) -> DateTime<Utc> {
        self.current.since
    }

    /// The phase in effect at `at`: the one with the latest `since` not after `at`. `None` before the
    /// service's first known status.
    pub fn phase_at(&self, at: DateTime<Utc>) -> Option<&ServicePhase> {
        std::iter::once(&self.current)
            .chain(&self.history)
            .filter(|p| p.since <= at)
            .max_by_key(|p| p.since)
    }

    /// The status in effect at `at` (see `phase_at`).
    pub fn status_at(&self, at: DateTime<Utc>) -> Option<&ServiceStatus> {
        self.phase_at(at).map(|p| &p.status)
    }

    /// Every phase with the time it ended (`None`: still current), oldest first.
    pub fn periods(&self) -> Vec<(&ServicePhase, Option<DateTime<Utc>>)> {
        let mut phases: Vec<&ServicePhase> = std::iter::once(&self.current)
            .chain(&self.history)
            .collect();
        phases.sort_by_key(|p| p.since);
        let ends: Vec<Option<DateTime<Utc>>> = phases
            .iter()
            .skip(1)
            .map(|p| Some(p.since))
            .chain(std::iter::once(None))
            .collect();
        phases.into_iter().zip(ends).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(status: ServiceStatus, since: &str) -> ServicePhase {
        ServicePhase {
            service_type: ServiceType::CaQc,
            name: "CA".into(),
            identity: DigitalIdentity::default(),
            status,
            since: DateTime::parse_from_rfc3339(since).unwrap().to_utc(),
            qualifications: Vec::new(),
            additional_info: Vec::new(),
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn service() -> TrustService {
        TrustService {
            current: phase(ServiceStatus::Withdrawn, "2020-01-01T00:00:00Z"),
            // Deliberately out of order: the reading never relies on the list's order.
            history: vec![
                phase(ServiceStatus::Accredited, "2010-01-01T00:00:00Z"),
                phase(ServiceStatus::Granted, "2016-07-01T00:00:00Z"),
            ],
        }
    }

    #[test]
    fn the_status_at_a_time_is_the_latest_one_started_by_then() {
        let s = service();
        assert_eq!(s.status_at(t("2009-12-31T23:59:59Z")), None);
        assert_eq!(
            s.status_at(t("2010-01-01T00:00:00Z")),
            Some(&ServiceStatus::Accredited)
        );
        assert_eq!(
            s.status_at(t("2018-01-01T00:00:00Z")),
            Some(&ServiceStatus::Granted)
        );
        assert_eq!(
            s.status_at(t("2030-01-01T00:00:00Z")),
            Some(&ServiceStatus::Withdrawn)
        );
    }

    #[test]
    fn the_periods_are_in_time_order_and_end_where_the_next_begins() {
        let s = service();
        let ends: Vec<_> = s.periods().iter().map(|(p, end)| (p.since, *end)).collect();
        assert_eq!(
            ends,
            vec![
                (t("2010-01-01T00:00:00Z"), Some(t("2016-07-01T00:00:00Z"))),
                (t("2016-07-01T00:00:00Z"), Some(t("2020-01-01T00:00:00Z"))),
                (t("2020-01-01T00:00:00Z"), None),
            ]
        );
    }
}
