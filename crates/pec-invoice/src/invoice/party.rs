//! `CedentePrestatore` and `CessionarioCommittente`, in both layouts: the full format's
//! `DatiAnagrafici/Anagrafica` and the simplified format's flat supplier and
//! `IdentificativiFiscali` / `AltriDatiIdentificativi` customer.

use super::{Address, Party, TaxId};
use crate::xml::Element;

pub(super) fn read_party(el: &Element) -> Party {
    let data = el.child("DatiAnagrafici");
    let ids = data
        .or_else(|| el.child("IdentificativiFiscali"))
        .unwrap_or(el);
    let names = data
        .and_then(|d| d.child("Anagrafica"))
        .or_else(|| el.child("AltriDatiIdentificativi"))
        .unwrap_or(el);
    let sede = el
        .child("Sede")
        .or_else(|| el.at(&["AltriDatiIdentificativi", "Sede"]));
    let tax_regime = data
        .and_then(|d| d.text_at(&["RegimeFiscale"]))
        .or_else(|| el.text_at(&["RegimeFiscale"]));
    let denomination = names.text_at(&["Denominazione"]);
    let first_name = names.text_at(&["Nome"]);
    let last_name = names.text_at(&["Cognome"]);
    let title = names.text_at(&["Titolo"]);
    let display_name = denomination.clone().or_else(|| {
        let parts: Vec<&str> = [&title, &first_name, &last_name]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    Party {
        display_name,
        denomination,
        first_name,
        last_name,
        title,
        vat_id: ids.child("IdFiscaleIVA").and_then(tax_id),
        fiscal_code: ids.text_at(&["CodiceFiscale"]),
        address: sede.map(address),
        tax_regime,
    }
}

/// `IdPaese` + `IdCodice`; absent when both are blank.
pub(super) fn tax_id(el: &Element) -> Option<TaxId> {
    let country = el.text_at(&["IdPaese"]);
    let code = el.text_at(&["IdCodice"]);
    (country.is_some() || code.is_some()).then(|| TaxId {
        country: country.unwrap_or_default(),
        code: code.unwrap_or_default(),
    })
}

fn address(el: &Element) -> Address {
    Address {
        street: el.text_at(&["Indirizzo"]),
        number: el.text_at(&["NumeroCivico"]),
        postcode: el.text_at(&["CAP"]),
        town: el.text_at(&["Comune"]),
        province: el.text_at(&["Provincia"]),
        country: el.text_at(&["Nazione"]),
    }
}
