//! Reading a FatturaPA file from its XML bytes: root and namespace check, header, bodies.
//!
//! Strict about what makes a document an invoice (the root in a FatturaPA namespace, a header with
//! `CedentePrestatore` and `CessionarioCommittente`, at least one body); lenient inside: a missing or
//! unreadable field is absent, with a finding when it was there but unreadable.

use super::body::read_body;
use super::finding::{InvoiceFinding, InvoiceFindingCode};
use super::party::{read_party, tax_id};
use super::{Invoice, InvoiceFormat, Transmission};
use crate::xml::{Element, parse};
use crate::{Decimal, InvoiceError};

/// The namespaces of `FatturaElettronica`: 1.2.x, then 1.1 and 1.0 (before the move to ivaservizi).
pub const FATTURAPA_NAMESPACES: [&str; 3] = [
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2",
    "http://www.fatturapa.gov.it/sdi/fatturapa/v1.1",
    "http://www.fatturapa.gov.it/sdi/fatturapa/v1.0",
];

/// The namespace of `FatturaElettronicaSemplificata` (FSM10).
pub const SIMPLIFIED_NAMESPACE: &str =
    "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.0";

/// Reads a FatturaPA invoice (the XML, after any CAdES wrapper is removed). Total: any bytes give an
/// invoice or a typed error, quickly.
pub fn read_invoice(xml: &[u8]) -> Result<Invoice, InvoiceError> {
    let root = parse(xml)?;
    let simplified = match (root.name.as_str(), root.ns.as_str()) {
        ("FatturaElettronica", ns) if FATTURAPA_NAMESPACES.contains(&ns) => false,
        ("FatturaElettronicaSemplificata", SIMPLIFIED_NAMESPACE) => true,
        _ => {
            return Err(InvoiceError::NotAnInvoice {
                root: root.name.clone(),
                namespace: root.ns.clone(),
            });
        }
    };
    let mut r = Reading::default();
    let header = required(&root, "FatturaElettronicaHeader")?;
    let supplier = required(header, "CedentePrestatore")?;
    let customer = required(header, "CessionarioCommittente")?;
    let bodies: Vec<&Element> = root.children_named("FatturaElettronicaBody").collect();
    if bodies.is_empty() {
        return Err(InvoiceError::Missing {
            element: "FatturaElettronicaBody".into(),
        });
    }
    let version = root.attr("versione").unwrap_or_default().to_owned();
    let mut format = InvoiceFormat::of_version(&version);
    if simplified != (format == InvoiceFormat::Fsm10) {
        // NOTE: the root decides between full and simplified; `versione` only names the release.
        r.note(InvoiceFindingCode::UnknownVersion, "versione", &version);
        format = if simplified {
            InvoiceFormat::Fsm10
        } else {
            InvoiceFormat::Other
        };
    } else if format == InvoiceFormat::Other {
        r.note(InvoiceFindingCode::UnknownVersion, "versione", &version);
    }
    let transmission = header
        .child("DatiTrasmissione")
        .map(transmission)
        .unwrap_or_default();
    let supplier = read_party(supplier);
    let customer = read_party(customer);
    let bodies = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| read_body(body, i + 1, &mut r))
        .collect();
    Ok(Invoice {
        format,
        version,
        transmission,
        supplier,
        customer,
        bodies,
        findings: r.findings,
        signature: crate::signature::enveloped(&root),
    })
}

fn required<'a>(parent: &'a Element, name: &str) -> Result<&'a Element, InvoiceError> {
    parent.child(name).ok_or_else(|| InvoiceError::Missing {
        element: name.to_owned(),
    })
}

fn transmission(el: &Element) -> Transmission {
    Transmission {
        transmitter: el.child("IdTrasmittente").and_then(tax_id),
        progressivo_invio: el.text_at(&["ProgressivoInvio"]),
        formato_trasmissione: el.text_at(&["FormatoTrasmissione"]),
        codice_destinatario: el.text_at(&["CodiceDestinatario"]),
        pec_destinatario: el.text_at(&["PECDestinatario"]),
    }
}

/// The findings gathered while reading one file.
#[derive(Default)]
pub(super) struct Reading {
    pub findings: Vec<InvoiceFinding>,
}

impl Reading {
    pub fn note(&mut self, code: InvoiceFindingCode, path: &str, detail: &str) {
        self.findings.push(InvoiceFinding {
            code,
            path: path.to_owned(),
            detail: detail.chars().take(80).collect(),
        });
    }

    /// The decimal at `name` below `el`; an unreadable one is absent, with a finding at `path/name`.
    pub fn decimal(&mut self, el: &Element, name: &str, path: &str) -> Option<Decimal> {
        let text = el.text_at(&[name])?;
        let value = Decimal::parse(&text);
        if value.is_none() {
            self.note(
                InvoiceFindingCode::UnreadableNumber,
                &format!("{path}/{name}"),
                &text,
            );
        }
        value
    }
}
