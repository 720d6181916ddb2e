//! One `FatturaElettronicaBody`: general data, lines, VAT summary, payments, attachments.

use super::attachment::read_attachment;
use super::finding::InvoiceFindingCode;
use super::read::Reading;
use super::{
    DocumentType, InvoiceBody, Line, Payment, PaymentDetail, PaymentMethod, PaymentTerms,
    PensionFund, StampDuty, VatSummary, Withholding,
};
use crate::xml::Element;

/// Reads the `index`-th body (from 1; used in finding paths).
pub(super) fn read_body(body: &Element, index: usize, r: &mut Reading) -> InvoiceBody {
    let at = format!("FatturaElettronicaBody[{index}]");
    let empty = Element::default();
    let doc = body
        .at(&["DatiGenerali", "DatiGeneraliDocumento"])
        .unwrap_or(&empty);
    let doc_path = format!("{at}/DatiGenerali/DatiGeneraliDocumento");
    let document_type_code = doc.text_at(&["TipoDocumento"]);
    let document_type = code(
        r,
        &doc_path,
        "TipoDocumento",
        document_type_code.as_deref(),
        DocumentType::of_code,
        DocumentType::Other,
    );
    let goods = body.child("DatiBeniServizi");
    // NOTE: the full format has one `DatiBeniServizi` with `DettaglioLinee`; the simplified one has a
    // `DatiBeniServizi` per line (`Descrizione`, `Importo`, `DatiIVA`) and no summary.
    let full = goods
        .is_some_and(|g| g.child("DettaglioLinee").is_some() || g.child("DatiRiepilogo").is_some());
    let lines = if full {
        let path = format!("{at}/DatiBeniServizi/DettaglioLinee");
        goods
            .into_iter()
            .flat_map(|g| g.children_named("DettaglioLinee"))
            .map(|l| line(l, &path, r))
            .collect()
    } else {
        let path = format!("{at}/DatiBeniServizi");
        body.children_named("DatiBeniServizi")
            .enumerate()
            .map(|(i, g)| simplified_line(g, i + 1, &path, r))
            .collect()
    };
    let vat_summary = goods
        .map(|g| {
            g.children_named("DatiRiepilogo")
                .map(|s| summary(s, &format!("{at}/DatiBeniServizi/DatiRiepilogo"), r))
                .collect()
        })
        .unwrap_or_default();
    InvoiceBody {
        document_type,
        document_type_code,
        currency: doc.text_at(&["Divisa"]),
        date: doc.text_at(&["Data"]),
        number: doc.text_at(&["Numero"]),
        total: r.decimal(doc, "ImportoTotaleDocumento", &doc_path),
        rounding: r.decimal(doc, "Arrotondamento", &doc_path),
        causale: doc
            .children_named("Causale")
            .filter_map(Element::value)
            .collect(),
        withholdings: doc
            .children_named("DatiRitenuta")
            .map(|w| withholding(w, &doc_path, r))
            .collect(),
        stamp_duty: doc.child("DatiBollo").map(|b| StampDuty {
            virtual_stamp: b.text_at(&["BolloVirtuale"]).as_deref() == Some("SI"),
            amount: r.decimal(b, "ImportoBollo", &format!("{doc_path}/DatiBollo")),
        }),
        pension_funds: doc
            .children_named("DatiCassaPrevidenziale")
            .map(|c| pension_fund(c, &doc_path, r))
            .collect(),
        lines,
        vat_summary,
        payments: body
            .children_named("DatiPagamento")
            .map(|p| payment(p, &format!("{at}/DatiPagamento"), r))
            .collect(),
        attachments: body
            .children_named("Allegati")
            .map(|a| read_attachment(a, &format!("{at}/Allegati"), r))
            .collect(),
    }
}

/// A code of a closed list; an unknown one is `other`, with a finding.
fn code<T: PartialEq + Copy>(
    r: &mut Reading,
    path: &str,
    name: &str,
    written: Option<&str>,
    of_code: fn(&str) -> T,
    other: T,
) -> T {
    let Some(written) = written else {
        return other;
    };
    let value = of_code(written);
    if value == other {
        r.note(
            InvoiceFindingCode::UnknownCode,
            &format!("{path}/{name}"),
            written,
        );
    }
    value
}

fn line(el: &Element, path: &str, r: &mut Reading) -> Line {
    Line {
        number: el.text_at(&["NumeroLinea"]),
        description: el.text_at(&["Descrizione"]),
        quantity: r.decimal(el, "Quantita", path),
        unit: el.text_at(&["UnitaMisura"]),
        unit_price: r.decimal(el, "PrezzoUnitario", path),
        total: r.decimal(el, "PrezzoTotale", path),
        vat_rate: r.decimal(el, "AliquotaIVA", path),
        natura: el.text_at(&["Natura"]),
    }
}

fn simplified_line(el: &Element, position: usize, path: &str, r: &mut Reading) -> Line {
    let vat = el.child("DatiIVA");
    Line {
        number: Some(position.to_string()),
        description: el.text_at(&["Descrizione"]),
        quantity: None,
        unit: None,
        unit_price: None,
        total: r.decimal(el, "Importo", path),
        vat_rate: vat.and_then(|v| r.decimal(v, "Aliquota", &format!("{path}/DatiIVA"))),
        natura: el.text_at(&["Natura"]),
    }
}

fn summary(el: &Element, path: &str, r: &mut Reading) -> VatSummary {
    VatSummary {
        vat_rate: r.decimal(el, "AliquotaIVA", path),
        natura: el.text_at(&["Natura"]),
        taxable: r.decimal(el, "ImponibileImporto", path),
        tax: r.decimal(el, "Imposta", path),
        rounding: r.decimal(el, "Arrotondamento", path),
        vat_due: el.text_at(&["EsigibilitaIVA"]),
        legal_reference: el.text_at(&["RiferimentoNormativo"]),
    }
}

fn withholding(el: &Element, doc_path: &str, r: &mut Reading) -> Withholding {
    let path = format!("{doc_path}/DatiRitenuta");
    Withholding {
        kind: el.text_at(&["TipoRitenuta"]),
        amount: r.decimal(el, "ImportoRitenuta", &path),
        rate: r.decimal(el, "AliquotaRitenuta", &path),
        payment_reason: el.text_at(&["CausalePagamento"]),
    }
}

fn pension_fund(el: &Element, doc_path: &str, r: &mut Reading) -> PensionFund {
    let path = format!("{doc_path}/DatiCassaPrevidenziale");
    PensionFund {
        kind: el.text_at(&["TipoCassa"]),
        rate: r.decimal(el, "AlCassa", &path),
        amount: r.decimal(el, "ImportoContributoCassa", &path),
        taxable: r.decimal(el, "ImponibileCassa", &path),
        vat_rate: r.decimal(el, "AliquotaIVA", &path),
    }
}

fn payment(el: &Element, path: &str, r: &mut Reading) -> Payment {
    let terms_code = el.text_at(&["CondizioniPagamento"]);
    let terms = code(
        r,
        path,
        "CondizioniPagamento",
        terms_code.as_deref(),
        PaymentTerms::of_code,
        PaymentTerms::Other,
    );
    let detail_path = format!("{path}/DettaglioPagamento");
    let details = el
        .children_named("DettaglioPagamento")
        .map(|d| {
            let method_code = d.text_at(&["ModalitaPagamento"]);
            PaymentDetail {
                beneficiary: d.text_at(&["Beneficiario"]),
                method: code(
                    r,
                    &detail_path,
                    "ModalitaPagamento",
                    method_code.as_deref(),
                    PaymentMethod::of_code,
                    PaymentMethod::Other,
                ),
                method_code,
                due_date: d.text_at(&["DataScadenzaPagamento"]),
                amount: r.decimal(d, "ImportoPagamento", &detail_path),
                bank: d.text_at(&["IstitutoFinanziario"]),
                iban: d.text_at(&["IBAN"]),
                bic: d.text_at(&["BIC"]),
            }
        })
        .collect();
    Payment {
        terms,
        terms_code,
        details,
    }
}
