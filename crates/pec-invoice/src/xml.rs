//! A small, bounded element tree over quick-xml events: what the invoice and notification readers walk.
//!
//! Used by `invoice::read`, `notification::read` and `recognise`. Strict where safety needs it and
//! lenient nowhere else: UTF-8, ISO-8859-1/windows-1252, ISO-8859-15 or UTF-16 with a BOM, decided and
//! decoded strictly by `crate::encoding` (which says the rule), no DOCTYPE, no entity other than the five
//! predefined ones and character references (nothing is ever expanded from a DTD), depth, element count
//! and size bounded by [`crate::limits`]. Namespaces are resolved (Namespaces in XML 1.0 §6); element
//! names are kept as local names plus namespace URI, so `p:`, `ns2:`, `a:` or no prefix read the same.
//! Every element keeps its byte span in the input as given (offsets in the transcoded text are mapped
//! back exactly), so a verifier can be handed the exact signed bytes.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};

use crate::InvoiceError;
use crate::encoding::{decode, decode_prefix};
use crate::limits::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, MAX_NAMESPACES};

/// A half-open byte range `[start, end)` into the input as given (a BOM included), whatever its
/// encoding: never into the transcoded text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ByteSpan {
    pub start: u32,
    pub end: u32,
}

impl ByteSpan {
    /// The bytes this span covers, or `None` if it lies outside `input`.
    pub fn slice(self, input: &[u8]) -> Option<&[u8]> {
        input.get(self.start as usize..self.end as usize)
    }
}

/// One element: namespace URI (empty when none), local name, attributes by local name, direct text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub ns: String,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Element>,
    pub span: ByteSpan,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name, in document order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The element at this path of local names below this one.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// The trimmed text at `path`, `None` when absent or blank.
    pub fn text_at(&self, path: &[&str]) -> Option<String> {
        self.at(path).and_then(Element::value)
    }

    /// This element's trimmed text, `None` when blank.
    pub fn value(&self) -> Option<String> {
        let t = self.text.trim();
        (!t.is_empty()).then(|| t.to_owned())
    }

    /// An attribute's value by local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The in-scope namespace declarations, innermost last: (prefix, URI), prefix "" for the default.
#[derive(Default)]
struct Scopes {
    decls: Vec<(String, String)>,
    /// How many declarations each open element added.
    marks: Vec<usize>,
}

impl Scopes {
    fn resolve(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some("http://www.w3.org/XML/1998/namespace");
        }
        self.decls
            .iter()
            .rev()
            .find(|(p, _)| p == prefix)
            .map(|(_, uri)| uri.as_str())
            .or((prefix.is_empty()).then_some(""))
    }

    fn pop(&mut self) {
        let added = self.marks.pop().unwrap_or(0);
        let keep = self.decls.len().saturating_sub(added);
        self.decls.truncate(keep);
    }
}

fn malformed(offset: usize, detail: impl ToString) -> InvoiceError {
    InvoiceError::Malformed {
        offset: offset as u32,
        detail: detail.to_string(),
    }
}

/// Opens an element: declares its namespaces, resolves its name, reads its attributes.
fn open(e: &BytesStart<'_>, scopes: &mut Scopes, at: usize) -> Result<Element, InvoiceError> {
    let mut attrs = Vec::new();
    let mut added = 0;
    for (n, attr) in e.attributes().enumerate() {
        if n as u32 >= MAX_ATTRIBUTES {
            return Err(InvoiceError::TooManyAttributes {
                limit: MAX_ATTRIBUTES,
            });
        }
        let attr = attr.map_err(|err| malformed(at, err))?;
        let key = std::str::from_utf8(attr.key.as_ref()).map_err(|err| malformed(at, err))?;
        let value = attr
            .unescape_value()
            .map_err(|err| reference_error(at, err))?;
        if key == "xmlns" {
            scopes.decls.push((String::new(), value.into_owned()));
            added += 1;
        } else if let Some(prefix) = key.strip_prefix("xmlns:") {
            scopes.decls.push((prefix.to_owned(), value.into_owned()));
            added += 1;
        } else {
            let local = key.rsplit(':').next().unwrap_or(key);
            attrs.push((local.to_owned(), value.into_owned()));
        }
    }
    scopes.marks.push(added);
    if scopes.decls.len() as u32 > MAX_NAMESPACES {
        return Err(InvoiceError::TooManyNamespaces {
            limit: MAX_NAMESPACES,
        });
    }
    let qname = std::str::from_utf8(e.name().as_ref())
        .map_err(|err| malformed(at, err))?
        .to_owned();
    let (prefix, local) = qname.split_once(':').unwrap_or(("", &qname));
    let ns = scopes
        .resolve(prefix)
        .ok_or_else(|| malformed(at, format!("undeclared prefix `{prefix}`")))?
        .to_owned();
    Ok(Element {
        ns,
        name: local.to_owned(),
        attrs,
        span: ByteSpan {
            start: at as u32,
            end: at as u32,
        },
        ..Element::default()
    })
}

/// A quick-xml error, with an unknown entity told apart (it is the entity-expansion attack's shape).
fn reference_error(at: usize, err: quick_xml::Error) -> InvoiceError {
    if let quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) =
        &err
    {
        return InvoiceError::UnknownEntity { name: name.clone() };
    }
    malformed(at, err)
}

/// The five predefined entities (XML 1.0 §4.6).
fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

/// Parses the whole document into its root element; spans and error offsets count from the input's
/// first byte (a BOM included), in the input's own encoding.
pub(crate) fn parse(input: &[u8]) -> Result<Element, InvoiceError> {
    let decoded = decode(input)?;
    let text: &str = &decoded.text;
    let mut map = decoded.map;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut scopes = Scopes::default();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements: u32 = 0;
    loop {
        let at = map.input_offset(text, reader.buffer_position() as usize);
        let event = reader.read_event().map_err(|err| {
            reference_error(
                map.input_offset(text, reader.error_position() as usize),
                err,
            )
        })?;
        let here = map.input_offset(text, reader.buffer_position() as usize);
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(malformed(at, "a second root element"));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return Err(InvoiceError::TooManyElements {
                        limit: MAX_ELEMENTS,
                    });
                }
                if stack.len() as u32 >= MAX_DEPTH {
                    return Err(InvoiceError::TooDeep { limit: MAX_DEPTH });
                }
                let mut el = open(e, &mut scopes, at)?;
                if matches!(event, Event::Empty(_)) {
                    scopes.pop();
                    el.span.end = here as u32;
                    close(el, &mut stack, &mut root);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                scopes.pop();
                let Some(mut el) = stack.pop() else {
                    return Err(malformed(at, "an end tag with no start"));
                };
                el.span.end = here as u32;
                close(el, &mut stack, &mut root);
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|err| malformed(at, err))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(malformed(at, "text outside the root element")),
                }
            }
            Event::CData(t) => {
                let s = t.decode().map_err(|err| malformed(at, err))?;
                match stack.last_mut() {
                    Some(top) => top.text.push_str(&s),
                    None => return Err(malformed(at, "cdata outside the root element")),
                }
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|err| malformed(at, err))?;
                let ch = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|err| malformed(at, err))?
                } else {
                    predefined(&name)
                };
                let Some(ch) = ch else {
                    return Err(InvoiceError::UnknownEntity {
                        name: name.into_owned(),
                    });
                };
                match stack.last_mut() {
                    Some(top) => top.text.push(ch),
                    None => return Err(malformed(at, "a reference outside the root element")),
                }
            }
            Event::DocType(_) => return Err(InvoiceError::Doctype),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(malformed(
            map.input_offset(text, text.len()),
            "the document ends inside an element",
        ));
    }
    root.ok_or(InvoiceError::Empty)
}

fn close(el: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// How much of a file `first_element` decodes and reads (a SOAP header before the message included).
const FIRST_ELEMENT_WINDOW: usize = 64 * 1024;

/// The first element's (namespace, local name), cheaply: decodes only the first
/// [`FIRST_ELEMENT_WINDOW`] bytes, stops at the first start tag. Used by `recognise`; `None` for
/// anything that is not XML in an accepted encoding starting with an element.
pub(crate) fn first_element(input: &[u8], skip_soap: bool) -> Option<(String, String)> {
    let decoded = decode_prefix(input, FIRST_ELEMENT_WINDOW).ok()?;
    let mut reader = Reader::from_str(&decoded.text);
    let mut scopes = Scopes::default();
    // NOTE: bounded: a SOAP Envelope, its Header (skipped whole) and Body, then the message.
    for _ in 0..256 {
        let event = reader.read_event().ok()?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let el = open(e, &mut scopes, 0).ok()?;
                if !(skip_soap && is_soap(&el.ns)) {
                    return Some((el.ns, el.name));
                }
                if matches!(event, Event::Empty(_)) {
                    scopes.pop();
                } else if el.name == "Header" {
                    reader.read_to_end(e.name()).ok()?;
                    scopes.pop();
                }
            }
            Event::End(_) => scopes.pop(),
            Event::Text(t) if t.decode().ok()?.trim().is_empty() => {}
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            _ => return None,
        }
    }
    None
}

/// Whether a namespace is a SOAP envelope's (SDICoop wraps SdI messages in one).
pub(crate) fn is_soap(ns: &str) -> bool {
    ns == "http://schemas.xmlsoap.org/soap/envelope/"
        || ns == "http://www.w3.org/2003/05/soap-envelope"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_default_namespaces_resolve_to_the_same_names() {
        for xml in [
            &b"<p:R xmlns:p='urn:x'><C/></p:R>"[..],
            b"<R xmlns='urn:x'><C xmlns=''/></R>",
            b"<a:R xmlns:a='urn:x' xmlns:b='urn:y'><C/></a:R>",
        ] {
            let root = parse(xml).unwrap();
            assert_eq!((root.ns.as_str(), root.name.as_str()), ("urn:x", "R"));
            assert_eq!(root.children[0].ns, "");
        }
    }

    #[test]
    fn spans_count_the_bom_and_cover_start_to_end_tag() {
        let xml = b"\xEF\xBB\xBF<?xml version='1.0'?>\n<r a='&amp;'><c>x &lt; y&#33;</c><e/></r>\n";
        let root = parse(xml).unwrap();
        assert_eq!(
            root.span.slice(xml).unwrap(),
            b"<r a='&amp;'><c>x &lt; y&#33;</c><e/></r>"
        );
        assert_eq!(
            root.children[0].span.slice(xml).unwrap(),
            b"<c>x &lt; y&#33;</c>"
        );
        assert_eq!(root.children[1].span.slice(xml).unwrap(), b"<e/>");
        assert_eq!(root.children[0].text, "x < y!");
        assert_eq!(root.attr("a"), Some("&"));
    }

    #[test]
    fn the_first_element_is_found_through_a_soap_envelope_and_its_header() {
        let xml = b"<?xml version='1.0'?><!-- c --><s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'>\
            <s:Header><x:H xmlns:x='urn:h'/></s:Header><s:Body><m:M xmlns:m='urn:m'/></s:Body></s:Envelope>";
        assert_eq!(first_element(xml, true), Some(("urn:m".into(), "M".into())));
        assert_eq!(
            first_element(xml, false).map(|(_, n)| n),
            Some("Envelope".into())
        );
        assert_eq!(first_element(b"<!DOCTYPE r><r/>", true), None);
    }
}
