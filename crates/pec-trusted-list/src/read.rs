//! Reading a Trusted List's content (TS 119 612 §5.3–5.6) from the bounded tree of `xml`.
//!
//! `read` is public for inspection (it says what a list claims); `verify` calls `read_tree` on the very
//! tree whose signature it checked, so a verified list is read from the signed bytes and nothing else.

use base64::Engine as _;
use chrono::{DateTime, NaiveDateTime, Utc};
use xml_sec::{Document, Node};

use crate::error::ReadError;
use crate::model::{
    DigitalIdentity, ListPointer, ListType, SchemeInfo, ServicePhase, TrustService,
    TrustServiceProvider, TrustedList,
};
use crate::qualification::{AdditionalInfo, CriteriaList, Qualification, Qualifier};
use crate::service_type::ServiceType;
use crate::status::ServiceStatus;
use crate::xml::{self, ECC, TSL, TSLX, XADES, child, child_text, children, path, text};

/// Reads what a list says, without verifying anything (a hint until `verify` says otherwise).
pub fn read(bytes: &[u8]) -> Result<TrustedList, ReadError> {
    let doc = xml::parse(bytes)?;
    read_tree(&doc)
}

/// Reads a parsed list.
pub(crate) fn read_tree(doc: &Document<'_>) -> Result<TrustedList, ReadError> {
    let root = doc.root_element();
    if !xml::is(root, TSL, "TrustServiceStatusList") {
        return Err(ReadError::NotATrustedList {
            found: root.tag_name().name().to_owned(),
        });
    }
    let info =
        child(root, TSL, "SchemeInformation").ok_or(ReadError::Missing("SchemeInformation"))?;
    let scheme = scheme(info)?;
    let pointers = match child(info, TSL, "PointersToOtherTSL") {
        Some(p) => children(p, TSL, "OtherTSLPointer")
            .map(pointer)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let providers = match child(root, TSL, "TrustServiceProviderList") {
        Some(l) => children(l, TSL, "TrustServiceProvider")
            .map(provider)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(TrustedList {
        scheme,
        pointers,
        providers,
    })
}

fn scheme(info: Node<'_, '_>) -> Result<SchemeInfo, ReadError> {
    let number = |field: &'static str| -> Result<u64, ReadError> {
        let t = child_text(info, TSL, field).ok_or(ReadError::Missing(field))?;
        t.parse()
            .map_err(|_| ReadError::Invalid { field, value: t })
    };
    let version =
        u32::try_from(number("TSLVersionIdentifier")?).map_err(|_| ReadError::Invalid {
            field: "TSLVersionIdentifier",
            value: "too large".into(),
        })?;
    Ok(SchemeInfo {
        version,
        sequence_number: number("TSLSequenceNumber")?,
        list_type: ListType::from_uri(
            &child_text(info, TSL, "TSLType").ok_or(ReadError::Missing("TSLType"))?,
        ),
        territory: child_text(info, TSL, "SchemeTerritory")
            .ok_or(ReadError::Missing("SchemeTerritory"))?,
        operator_name: child(info, TSL, "SchemeOperatorName")
            .map(name)
            .unwrap_or_default(),
        issued: time(
            "ListIssueDateTime",
            &child_text(info, TSL, "ListIssueDateTime")
                .ok_or(ReadError::Missing("ListIssueDateTime"))?,
        )?,
        next_update: match path(info, TSL, &["NextUpdate", "dateTime"]) {
            Some(n) => Some(time("NextUpdate", &text(n))?),
            None => None,
        },
    })
}

fn pointer(p: Node<'_, '_>) -> Result<ListPointer, ReadError> {
    let mut signing_certificates = Vec::new();
    if let Some(ids) = child(p, TSL, "ServiceDigitalIdentities") {
        for id in children(ids, TSL, "ServiceDigitalIdentity") {
            signing_certificates.extend(identity(id)?.certificates);
        }
    }
    let mut out = ListPointer {
        territory: None,
        location: child_text(p, TSL, "TSLLocation").ok_or(ReadError::Missing("TSLLocation"))?,
        list_type: None,
        mime_type: None,
        signing_certificates,
    };
    if let Some(add) = child(p, TSL, "AdditionalInformation") {
        for other in children(add, TSL, "OtherInformation") {
            for c in other.children().filter(Node::is_element) {
                if xml::is(c, TSL, "SchemeTerritory") {
                    out.territory = Some(text(c));
                } else if xml::is(c, TSL, "TSLType") {
                    out.list_type = Some(ListType::from_uri(&text(c)));
                } else if xml::is(c, TSLX, "MimeType") {
                    out.mime_type = Some(text(c));
                }
            }
        }
    }
    Ok(out)
}

fn provider(p: Node<'_, '_>) -> Result<TrustServiceProvider, ReadError> {
    let info = child(p, TSL, "TSPInformation").ok_or(ReadError::Missing("TSPInformation"))?;
    let services = match child(p, TSL, "TSPServices") {
        Some(s) => children(s, TSL, "TSPService")
            .map(service)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(TrustServiceProvider {
        name: child(info, TSL, "TSPName").map(name).unwrap_or_default(),
        trade_names: child(info, TSL, "TSPTradeName")
            .map(|t| children(t, TSL, "Name").map(text).collect())
            .unwrap_or_default(),
        services,
    })
}

fn service(s: Node<'_, '_>) -> Result<TrustService, ReadError> {
    let info =
        child(s, TSL, "ServiceInformation").ok_or(ReadError::Missing("ServiceInformation"))?;
    let history = match child(s, TSL, "ServiceHistory") {
        Some(h) => children(h, TSL, "ServiceHistoryInstance")
            .map(phase)
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(TrustService {
        current: phase(info)?,
        history,
    })
}

/// `ServiceInformation` and `ServiceHistoryInstance` share these elements.
fn phase(n: Node<'_, '_>) -> Result<ServicePhase, ReadError> {
    let mut qualifications = Vec::new();
    let mut additional_info = Vec::new();
    if let Some(exts) = child(n, TSL, "ServiceInformationExtensions") {
        for ext in children(exts, TSL, "Extension") {
            for c in ext.children().filter(Node::is_element) {
                if xml::is(c, ECC, "Qualifications") {
                    for q in children(c, ECC, "QualificationElement") {
                        qualifications.push(qualification(q));
                    }
                } else if xml::is(c, TSL, "AdditionalServiceInformation")
                    && let Some(uri) = child_text(c, TSL, "URI")
                {
                    additional_info.push(AdditionalInfo::from_uri(&uri));
                }
            }
        }
    }
    Ok(ServicePhase {
        service_type: ServiceType::from_uri(
            &child_text(n, TSL, "ServiceTypeIdentifier")
                .ok_or(ReadError::Missing("ServiceTypeIdentifier"))?,
        ),
        name: child(n, TSL, "ServiceName").map(name).unwrap_or_default(),
        identity: match child(n, TSL, "ServiceDigitalIdentity") {
            Some(id) => identity(id)?,
            None => DigitalIdentity::default(),
        },
        status: ServiceStatus::from_uri(
            &child_text(n, TSL, "ServiceStatus").ok_or(ReadError::Missing("ServiceStatus"))?,
        ),
        since: time(
            "StatusStartingTime",
            &child_text(n, TSL, "StatusStartingTime")
                .ok_or(ReadError::Missing("StatusStartingTime"))?,
        )?,
        qualifications,
        additional_info,
    })
}

fn identity(n: Node<'_, '_>) -> Result<DigitalIdentity, ReadError> {
    let mut out = DigitalIdentity::default();
    for id in children(n, TSL, "DigitalId") {
        for c in id.children().filter(Node::is_element) {
            if xml::is(c, TSL, "X509Certificate") {
                out.certificates.push(base64("X509Certificate", &text(c))?);
            } else if xml::is(c, TSL, "X509SubjectName") {
                out.subject_names.push(text(c));
            } else if xml::is(c, TSL, "X509SKI") {
                out.skis.push(base64("X509SKI", &text(c))?);
            }
        }
    }
    Ok(out)
}

fn qualification(q: Node<'_, '_>) -> Qualification {
    Qualification {
        qualifiers: child(q, ECC, "Qualifiers")
            .map(|qs| {
                children(qs, ECC, "Qualifier")
                    .filter_map(|x| x.attribute("uri"))
                    .map(|u| Qualifier::from_uri(u.trim()))
                    .collect()
            })
            .unwrap_or_default(),
        criteria: child(q, ECC, "CriteriaList")
            .map(criteria)
            .unwrap_or_default(),
    }
}

/// Reads a `CriteriaList`; nesting is bounded by the tree's depth limit (`xml::MAX_DEPTH`).
fn criteria(c: Node<'_, '_>) -> CriteriaList {
    let mut out = CriteriaList {
        assert: c.attribute("assert").unwrap_or("all").to_owned(),
        ..CriteriaList::default()
    };
    for e in c.children().filter(Node::is_element) {
        if xml::is(e, ECC, "KeyUsage") {
            out.key_usage.push(
                children(e, ECC, "KeyUsageBit")
                    .map(|b| {
                        (
                            b.attribute("name").unwrap_or("").to_owned(),
                            text(b) == "true",
                        )
                    })
                    .collect(),
            );
        } else if xml::is(e, ECC, "PolicySet") {
            out.policy_sets.push(
                children(e, ECC, "PolicyIdentifier")
                    .filter_map(|p| child_text(p, XADES, "Identifier"))
                    .collect(),
            );
        } else if xml::is(e, ECC, "CriteriaList") {
            out.nested.push(criteria(e));
        } else if e.tag_name().name() == "otherCriteriaList" {
            out.has_other_criteria = true;
        }
    }
    out
}

/// A multilingual name: the English one if present, else the first.
fn name(n: Node<'_, '_>) -> String {
    let names: Vec<Node<'_, '_>> = children(n, TSL, "Name").collect();
    let english = names
        .iter()
        .find(|x| x.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("en"));
    english
        .or(names.first())
        .map(|x| text(*x))
        .unwrap_or_default()
}

fn base64(field: &'static str, t: &str) -> Result<Vec<u8>, ReadError> {
    let compact: String = t.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|_| ReadError::Invalid {
            field,
            value: t.chars().take(40).collect(),
        })
}

/// An `xsd:dateTime`; one without a zone is taken as UTC (TS 119 612 §5.1.4 requires UTC).
pub(crate) fn time(field: &'static str, t: &str) -> Result<DateTime<Utc>, ReadError> {
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").map(|n| n.and_utc()))
        .map_err(|_| ReadError::Invalid {
            field,
            value: t.to_owned(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_time_without_a_zone_is_taken_as_utc() {
        assert_eq!(
            time("x", "2016-06-30T22:00:00").unwrap(),
            time("x", "2016-06-30T22:00:00Z").unwrap()
        );
        assert!(time("x", "yesterday").is_err());
    }
}
