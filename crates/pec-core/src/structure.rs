//! Finding the PEC structure wherever it is in the MIME tree (PEC rules §3).
//!
//! The `multipart/signed` entity may be the whole message or sit one level down (a list server or filter
//! wrapped it); inside its signed content are the text parts, `daticert.xml` and, for envelopes and
//! `completa` receipts, `postacert.eml`. Spans point into the raw bytes so the verifier can be handed
//! exactly what the provider signed. The walk is iterative: 5,000 nested levels cost memory, not stack.

use std::collections::{HashSet, VecDeque};

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};
use serde::Serialize;

use crate::boundary::body_parts;
use crate::span::Span;

/// The signed entity: `multipart/signed` with its content and its detached signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedEntity {
    /// The whole `multipart/signed` part, headers included.
    pub entity: Span,
    /// The first body part exactly as transmitted: what the provider signed (before CRLF canonicalisation).
    pub content: Span,
    /// The second body part (headers and encoded `smime.p7s`), if present.
    pub signature_part: Option<Span>,
    /// How many multipart levels lie above it (0: it is the message).
    pub depth: usize,
    /// Whether it was found only inside an attached message (`message/rfc822`).
    pub in_attachment: bool,
    /// The `protocol` parameter as written.
    pub protocol: Option<String>,
    /// The `micalg` parameter as written (a hint: the CMS names the real digest).
    pub micalg: Option<String>,
}

/// Where a located part is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedPart {
    /// The part's body as transmitted (still transfer-encoded), if it lies in the raw bytes.
    pub body: Option<Span>,
    /// Whether it lies inside the signed content.
    pub signed: bool,
}

/// The PEC skeleton of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PecStructure {
    pub signed: Option<SignedEntity>,
    pub daticert: Option<LocatedPart>,
    /// How many `daticert.xml` parts the searched content holds (more than one is suspicious).
    pub daticert_count: usize,
    pub postacert: Option<LocatedPart>,
    /// Text parts of the (signed) content: the provider's human-readable summary.
    pub text_parts: Vec<Span>,
    /// Parts mail-parser could not decode as declared.
    pub decoding_problems: usize,
}

/// What [`locate`] found, with the parsed parts it points at (borrowed from the parsed message).
pub struct Located<'m, 'x> {
    pub structure: PecStructure,
    /// The decoded `smime.p7s` bytes.
    pub signature: Option<&'m [u8]>,
    /// The daticert part.
    pub daticert: Option<&'m MessagePart<'x>>,
    /// The original message carried in `postacert.eml`.
    pub original: Option<&'m Message<'x>>,
    /// The message whose headers describe the PEC message (the root, or the attached one holding it).
    pub pec_message: &'m Message<'x>,
}

/// A part to visit: which message it belongs to, its id there, its multipart depth, and whether the
/// message's offsets are offsets into the raw bytes.
#[derive(Clone, Copy)]
struct Visit<'m, 'x> {
    message: &'m Message<'x>,
    part: u32,
    depth: usize,
    addressable: bool,
    in_attachment: bool,
}

/// Locate the PEC structure in `message`, parsed from `raw`.
pub fn locate<'m, 'x>(message: &'m Message<'x>, raw: &[u8]) -> Located<'m, 'x> {
    let mut structure = PecStructure::default();
    let root = Visit {
        message,
        part: 0,
        depth: 0,
        addressable: true,
        in_attachment: false,
    };
    let found = find_signed(root);
    let mut located = Located {
        structure: PecStructure::default(),
        signature: None,
        daticert: None,
        original: None,
        pec_message: message,
    };
    let search_root = match found {
        Some(signed) => {
            let (entity, content_visit, signature_part) = describe_signed(signed, raw);
            located.signature = signature_part.and_then(|id| {
                signed
                    .message
                    .part(id)
                    .map(|p| p.contents())
                    .filter(|c| !c.is_empty())
            });
            structure.signed = Some(entity);
            if signed.in_attachment {
                located.pec_message = signed.message;
            }
            content_visit
        }
        None => Some(root),
    };
    if let Some(search_root) = search_root {
        let inside_signed = structure.signed.is_some();
        collect_contents(search_root, inside_signed, &mut structure, &mut located);
    }
    structure.decoding_problems = message
        .parts
        .iter()
        .filter(|p| p.is_encoding_problem)
        .count();
    located.structure = structure;
    located
}

/// Breadth-first: the shallowest `multipart/signed`, first outside attached messages, then inside them.
fn find_signed<'m, 'x>(root: Visit<'m, 'x>) -> Option<Visit<'m, 'x>> {
    let mut queue = VecDeque::from([root]);
    let mut attached = Vec::new();
    let mut seen = HashSet::new();
    for pass in 0..2 {
        if pass == 1 {
            queue.extend(attached.drain(..));
        }
        while let Some(visit) = queue.pop_front() {
            if !seen.insert(visit.key()) {
                continue;
            }
            let Some(part) = visit.message.part(visit.part) else {
                continue;
            };
            if is_type(part, "multipart", "signed") {
                return Some(visit);
            }
            match &part.body {
                PartType::Multipart(children) => {
                    queue.extend(children.iter().map(|&child| Visit {
                        part: child,
                        depth: visit.depth + 1,
                        ..visit
                    }));
                }
                PartType::Message(inner) if pass == 0 => attached.push(Visit {
                    message: inner,
                    part: 0,
                    depth: visit.depth + 1,
                    // NOTE: mail-parser parses an unencoded message/rfc822 in place (offsets stay
                    // offsets into the raw bytes); an encoded one is decoded first.
                    addressable: visit.addressable && part.encoding == mail_parser::Encoding::None,
                    in_attachment: true,
                }),
                _ => {}
            }
        }
    }
    None
}

/// Describe the signed entity, returning the visit of its first child (the signed content) and the id of
/// the signature part.
fn describe_signed<'m, 'x>(
    signed: Visit<'m, 'x>,
    raw: &[u8],
) -> (SignedEntity, Option<Visit<'m, 'x>>, Option<u32>) {
    let part = signed.message.part(signed.part);
    let content_type = part.and_then(|p| p.content_type());
    let attr = |name: &str| {
        content_type
            .and_then(|c| c.attribute(name))
            .map(str::to_owned)
    };
    let children: &[u32] = part.and_then(|p| p.sub_parts()).unwrap_or(&[]);

    let entity_span = part
        .map(|p| Span::new(p.offset_header as usize, p.offset_end as usize))
        .unwrap_or(Span::new(0, 0));
    let body_span = part
        .map(|p| Span::new(p.offset_body as usize, p.offset_end as usize))
        .unwrap_or(Span::new(0, 0));

    // The exact bytes come from our own delimiter scan of the raw body, not from re-serialising.
    let mut delimited = Vec::new();
    if signed.addressable
        && let (Some(boundary), Some(body)) = (attr("boundary"), body_span.slice(raw))
    {
        delimited = body_parts(body, boundary.as_bytes())
            .into_iter()
            .map(|s| s.shifted(body_span.start))
            .collect();
    }
    let entity = SignedEntity {
        entity: entity_span,
        content: delimited.first().copied().unwrap_or(Span::new(0, 0)),
        signature_part: delimited.get(1).copied(),
        depth: signed.depth,
        in_attachment: signed.in_attachment,
        protocol: attr("protocol"),
        micalg: attr("micalg"),
    };
    let content = children.first().map(|&id| Visit {
        part: id,
        depth: signed.depth + 1,
        ..signed
    });
    (entity, content, children.get(1).copied())
}

/// Breadth-first over a subtree (not entering attached messages): daticert, postacert and text parts.
fn collect_contents<'m, 'x>(
    from: Visit<'m, 'x>,
    signed: bool,
    structure: &mut PecStructure,
    located: &mut Located<'m, 'x>,
) {
    let mut queue = VecDeque::from([from]);
    let mut seen = HashSet::new();
    while let Some(visit) = queue.pop_front() {
        if !seen.insert(visit.key()) {
            continue;
        }
        let Some(part) = visit.message.part(visit.part) else {
            continue;
        };
        let body = visit
            .addressable
            .then(|| Span::new(part.offset_body as usize, part.offset_end as usize));
        match &part.body {
            PartType::Multipart(children) => {
                if is_type(part, "multipart", "signed") {
                    continue; // a signature nested in the content is not ours to read
                }
                queue.extend(children.iter().map(|&child| Visit {
                    part: child,
                    depth: visit.depth + 1,
                    ..visit
                }));
            }
            PartType::Message(original)
                if located.original.is_none() || is_named(part, "postacert.eml") =>
            {
                located.original = Some(original);
                structure.postacert = Some(LocatedPart { body, signed });
            }
            _ if is_named(part, "daticert.xml") => {
                structure.daticert_count += 1;
                if located.daticert.is_none() {
                    located.daticert = Some(part);
                    structure.daticert = Some(LocatedPart { body, signed });
                }
            }
            PartType::Text(_) | PartType::Html(_) => {
                if let Some(body) = body {
                    structure.text_parts.push(body);
                }
            }
            _ => {}
        }
    }
}

impl Visit<'_, '_> {
    /// Which part of which (possibly attached) message this is.
    ///
    /// NOTE: on malformed MIME, mail-parser can list a part among the children of several parts (fuzzing
    /// found a 3 KB message whose tree, walked naively, grew a 1.6 GB queue): each part is visited once.
    fn key(&self) -> (usize, u32) {
        (std::ptr::from_ref(self.message) as usize, self.part)
    }
}

fn is_type(part: &MessagePart<'_>, ctype: &str, subtype: &str) -> bool {
    part.content_type().is_some_and(|c| {
        c.ctype().eq_ignore_ascii_case(ctype)
            && c.subtype().is_some_and(|s| s.eq_ignore_ascii_case(subtype))
    })
}

fn is_named(part: &MessagePart<'_>, name: &str) -> bool {
    part.attachment_name()
        .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
}
