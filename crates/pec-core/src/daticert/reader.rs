//! The lenient daticert reader: quick-xml events folded into a [`Daticert`], repairs recorded.
//!
//! Security: quick-xml never reads external resources, and this reader never expands entities declared in
//! a DOCTYPE; an unknown `&name;` stays in the text literally and is reported. Depth is bounded.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::model::{Daticert, Errore, ReceiptType, Recipient, RecipientType, Repair, RepairKind};
use super::text::{clean, decode};
use super::time::certified_instant;
use crate::kind::Tipo;

/// Elements nested deeper than this are skipped: a real daticert is four levels deep.
const MAX_DEPTH: usize = 32;

/// Why a daticert could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaticertError {
    #[error("no postacert element found")]
    NoPostacert,
}

/// One open element: its local name, the attributes we care about, the text gathered so far.
struct Frame {
    name: String,
    tipo_attr: Option<String>,
    zona_attr: Option<String>,
    text: String,
}

/// Read a daticert leniently from its bytes. `Err` only when there is no `postacert` element at all.
pub fn read(bytes: &[u8]) -> Result<Daticert, DaticertError> {
    let mut repairs = Vec::new();
    let text = decode(bytes, &mut repairs);
    read_decoded(&text, repairs)
}

/// Read a daticert that is already text (a part mail-parser decoded from its declared charset).
pub fn read_text(text: &str) -> Result<Daticert, DaticertError> {
    let mut repairs = Vec::new();
    let text = clean(text.to_owned(), &mut repairs);
    read_decoded(&text, repairs)
}

fn read_decoded(text: &str, repairs: Vec<Repair>) -> Result<Daticert, DaticertError> {
    let mut out = Daticert {
        repairs,
        ..Daticert::default()
    };
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.expand_empty_elements = true;

    let mut stack: Vec<Frame> = Vec::new();
    let mut skipped_depth = 0usize;
    let mut seen_root = false;
    let mut data_parts: (Option<String>, Option<String>, Option<String>) = (None, None, None);

    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                if stack.len() >= MAX_DEPTH || skipped_depth > 0 {
                    skipped_depth += 1;
                    continue;
                }
                let frame = open_frame(&e, &mut out.repairs);
                if frame.name == "postacert" && !seen_root {
                    seen_root = true;
                    read_root_attributes(&frame, &e, &mut out);
                }
                if frame.name == "data" {
                    data_parts.2 = frame.zona_attr.clone();
                }
                if frame.name == "ricevuta" {
                    read_receipt_type(&frame, &mut out);
                }
                stack.push(frame);
            }
            Ok(Event::End(_)) => {
                if skipped_depth > 0 {
                    skipped_depth -= 1;
                    continue;
                }
                if let Some(frame) = stack.pop() {
                    close_frame(frame, &mut out, &mut data_parts);
                }
            }
            Ok(Event::Text(t)) => {
                if let (Some(top), Ok(s)) = (stack.last_mut(), t.decode()) {
                    top.text.push_str(&s);
                }
            }
            Ok(Event::CData(t)) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let resolved = resolve_reference(&r, &mut out.repairs);
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&resolved);
                }
            }
            Ok(Event::DocType(_)) => out.repairs.push(Repair::new(
                RepairKind::DoctypeIgnored,
                "a DOCTYPE declaration was ignored; its entities were not expanded",
            )),
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                out.repairs.push(Repair::new(
                    RepairKind::Truncated,
                    format!(
                        "XML error at byte {}: {e}; what came before is kept",
                        reader.error_position()
                    ),
                ));
                break;
            }
        }
    }
    // Elements left open at the end (truncated files) still count.
    if !stack.is_empty() {
        if !out.repairs.iter().any(|r| r.what == RepairKind::Truncated) {
            out.repairs.push(Repair::new(
                RepairKind::Truncated,
                "the document ended with elements still open",
            ));
        }
        while let Some(frame) = stack.pop() {
            close_frame(frame, &mut out, &mut data_parts);
        }
    }
    if !seen_root {
        return Err(DaticertError::NoPostacert);
    }
    Ok(out)
}

fn open_frame(e: &BytesStart<'_>, repairs: &mut Vec<Repair>) -> Frame {
    let name = local_name(e.name().as_ref());
    let mut frame = Frame {
        name,
        tipo_attr: None,
        zona_attr: None,
        text: String::new(),
    };
    for attr in e.attributes().with_checks(false).flatten() {
        let key = local_name(attr.key.as_ref());
        let value = attribute_value(&attr.value, repairs);
        match key.as_str() {
            "tipo" => frame.tipo_attr = Some(value),
            "zona" => frame.zona_attr = Some(value),
            _ => {}
        }
    }
    frame
}

fn read_root_attributes(frame: &Frame, e: &BytesStart<'_>, out: &mut Daticert) {
    if let Some(tipo) = &frame.tipo_attr {
        out.tipo_raw = Some(tipo.clone());
        out.tipo = Tipo::parse(tipo);
    }
    for attr in e.attributes().with_checks(false).flatten() {
        if local_name(attr.key.as_ref()) == "errore" {
            let value = attribute_value(&attr.value, &mut out.repairs);
            out.errore = Errore::parse(&value).unwrap_or_else(|| {
                out.repairs.push(Repair::new(
                    RepairKind::UnknownValue,
                    format!("errore=\"{value}\" is not a PEC value; read as \"altro\""),
                ));
                Errore::Altro
            });
        }
    }
}

fn read_receipt_type(frame: &Frame, out: &mut Daticert) {
    if let Some(tipo) = &frame.tipo_attr {
        out.ricevuta = ReceiptType::parse(tipo);
        if out.ricevuta.is_none() {
            out.repairs.push(Repair::new(
                RepairKind::UnknownValue,
                format!("ricevuta tipo=\"{tipo}\" is not a PEC receipt type"),
            ));
        }
    }
}

type DataParts = (Option<String>, Option<String>, Option<String>);

fn close_frame(frame: Frame, out: &mut Daticert, data: &mut DataParts) {
    let value = frame.text.trim();
    let first = |slot: &mut Option<String>| {
        if slot.is_none() && !value.is_empty() {
            *slot = Some(value.to_owned());
        }
    };
    match frame.name.as_str() {
        "mittente" => first(&mut out.mittente),
        "risposte" => first(&mut out.risposte),
        "oggetto" => first(&mut out.oggetto),
        "gestore-emittente" => first(&mut out.gestore_emittente),
        "consegna" => first(&mut out.consegna),
        "errore-esteso" => first(&mut out.errore_esteso),
        "giorno" => first(&mut data.0),
        "ora" => first(&mut data.1),
        "destinatari" if !value.is_empty() => {
            let kind = frame
                .tipo_attr
                .as_deref()
                .and_then(RecipientType::parse)
                .unwrap_or_else(|| {
                    out.repairs.push(Repair::new(
                        RepairKind::UnknownValue,
                        format!(
                            "recipient {value} has type {:?}; read as \"certificato\"",
                            frame.tipo_attr.as_deref().unwrap_or("")
                        ),
                    ));
                    RecipientType::Certificato
                });
            out.destinatari.push(Recipient {
                address: value.to_owned(),
                kind,
            });
        }
        "ricezione" if !value.is_empty() => out.ricezione.push(value.to_owned()),
        "identificativo" if out.identificativo.is_none() && !value.is_empty() => {
            out.identificativo = Some(without_whitespace(value, "identificativo", out));
        }
        "msgid" if out.msgid.is_none() && !value.is_empty() => {
            out.msgid = Some(normal_message_id(value, out));
        }
        "data" if out.data_raw.is_none() => {
            let giorno = data.0.take().unwrap_or_default();
            let ora = data.1.take().unwrap_or_default();
            let zona = data.2.take().unwrap_or_default();
            out.data = certified_instant(&giorno, &ora, &zona);
            out.data_raw = Some((giorno, ora, zona));
        }
        _ => {}
    }
}

/// Remove line breaks and spaces that crept into an identifier, reporting it.
fn without_whitespace(value: &str, field: &str, out: &mut Daticert) -> String {
    if value.chars().any(char::is_whitespace) {
        out.repairs.push(Repair::new(
            RepairKind::WhitespaceInIdentifier,
            format!("whitespace inside {field} was removed"),
        ));
        value.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        value.to_owned()
    }
}

/// The escaped `msgid` as a normal `<local@domain>` Message-ID.
fn normal_message_id(value: &str, out: &mut Daticert) -> String {
    let mut v = without_whitespace(value, "msgid", out);
    if v.contains("&lt;") || v.contains("&gt;") {
        out.repairs.push(Repair::new(
            RepairKind::DoubleEscaped,
            "msgid was escaped twice and was unescaped once more",
        ));
        v = v.replace("&lt;", "<").replace("&gt;", ">");
    }
    crate::ids::bracketed(&v)
}

/// Resolve `&#…;` and the five predefined entities; anything else stays literal and is reported.
fn resolve_reference(r: &BytesRef<'_>, repairs: &mut Vec<Repair>) -> String {
    let name = String::from_utf8_lossy(r).into_owned();
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) if is_xml_char(c) => c.to_string(),
            _ => {
                repairs.push(Repair::new(
                    RepairKind::InvalidCharacterReference,
                    format!("&{name}; is not a valid XML character and was replaced"),
                ));
                '\u{FFFD}'.to_string()
            }
        };
    }
    match name.as_str() {
        "lt" => "<".into(),
        "gt" => ">".into(),
        "amp" => "&".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        _ => {
            repairs.push(Repair::new(
                RepairKind::UnexpandedEntity,
                format!("entity &{name}; was not expanded"),
            ));
            format!("&{name};")
        }
    }
}

/// An attribute value with references resolved leniently.
fn attribute_value(raw: &[u8], repairs: &mut Vec<Repair>) -> String {
    let raw = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw.as_ref();
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';') {
            Some(semi) if semi <= 32 => {
                let name = &after[..semi];
                out.push_str(&resolve_reference(&BytesRef::new(name), repairs));
                rest = &after[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The local part of a possibly prefixed name, lower-cased.
fn local_name(qname: &[u8]) -> String {
    let local = match qname.iter().rposition(|&b| b == b':') {
        Some(i) => &qname[i + 1..],
        None => qname,
    };
    String::from_utf8_lossy(local).to_ascii_lowercase()
}
