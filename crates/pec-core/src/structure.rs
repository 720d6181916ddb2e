//! Finding the PEC structure wherever it is in the MIME tree (PEC rules §3).
//!
//! The `multipart/signed` entity may be the whole message or sit one level down (a list server or filter
//! wrapped it); inside its signed content are the text parts, `daticert.xml` and, for envelopes and
//! `completa` receipts, `postacert.eml`. Spans point into the raw bytes so the verifier can be handed
//! exactly what the provider signed. The walk is iterative: 5,000 nested levels cost memory, not stack.
//!
//! One parse of the signed bytes (issue 13 §1): the signed entity's body is cut by our own strict
//! delimiter scan; the signed content and the signature part are then each parsed **on their own**, and
//! every fact (daticert, original, texts, `.p7s`) is read from those parses — the bytes the verifier
//! checks. Where mail-parser's lenient reading of the whole message disagrees with the strict one
//! ([`crate::agreement`]), the disagreement is kept in [`PecStructure::ambiguities`].

use std::collections::{HashSet, VecDeque};

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};
use serde::Serialize;

use crate::agreement;
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
    /// Where a strict and a lenient reading of the delimiters around and inside the signed entity
    /// disagree (issue 13 §1): each one means parts the provider did not sign may be shown as signed.
    pub ambiguities: Vec<String>,
    /// How many `multipart/signed` entities the message holds beside each other (one is normal).
    pub signed_entities: usize,
    /// How many `multipart/signed` entities lie inside the signed content (none is normal).
    pub nested_signed: usize,
    /// How many body parts the signed entity has (two is normal: the content and the signature).
    pub signed_parts: usize,
    /// How many `daticert.xml` parts lie outside the signed entity (ignored; none is normal).
    pub daticert_outside_signed: usize,
    /// How many `.p7s` (pkcs7-signature) parts lie outside the signed entity (ignored; none is normal:
    /// a reader that takes the first one in the tree would take another signature).
    pub signature_outside_signed: usize,
    /// How many `postacert.eml` parts lie outside the signed entity (ignored; none is normal: a reader
    /// that takes the first one in the tree would show another original as the certified one).
    pub original_outside_signed: usize,
}

/// What [`Parsed::locate`] found, with the parsed parts it points at.
///
/// Everything a fact is read from — the daticert, the original, the provider's texts and the `.p7s` —
/// comes from the signed content and the signature part **as the strict scan cut them**, each parsed on
/// its own; never from the lenient tree of the whole message (issue 13 §1).
pub struct Located<'m, 'x> {
    pub structure: PecStructure,
    /// The decoded `smime.p7s` bytes.
    pub signature: Option<Vec<u8>>,
    /// The daticert part.
    pub daticert: Option<&'m MessagePart<'x>>,
    /// The original message carried in `postacert.eml`.
    pub original: Option<&'m Message<'x>>,
    /// The message whose headers describe the PEC message (the root, or the attached one holding it).
    pub pec_message: &'m Message<'x>,
}

/// One message read: the whole message as mail-parser sees it, and — when it holds a signed entity —
/// the signed content and the signature part, cut by the strict delimiter scan and parsed on their own.
pub struct Parsed<'x> {
    raw: &'x [u8],
    message: Message<'x>,
    signed: Option<SignedAt>,
    content: Option<Message<'x>>,
    signature: Option<Message<'x>>,
}

/// Where the signed entity is, without borrowing the parse.
struct SignedAt {
    entity: SignedEntity,
    /// The part of the root message whose body is the attached message holding the entity.
    attached_at: Option<u32>,
    /// Where the two readings of the message around the entity disagree.
    disagreements: Vec<String>,
    /// How many `multipart/signed` entities the searched message holds.
    signed_entities: usize,
    /// How many body parts the entity has (exactly two are allowed: content and signature).
    parts: usize,
    /// How many `daticert.xml` parts lie outside the signed entity.
    daticert_outside: usize,
    /// How many pkcs7-signature parts lie outside the signed entity.
    signature_outside: usize,
    /// How many `postacert.eml` parts lie outside the signed entity.
    original_outside: usize,
}

/// Read `raw`: `None` when mail-parser finds no message at all.
pub fn parse(raw: &[u8]) -> Option<Parsed<'_>> {
    let message = MessageParser::new().parse(raw)?;
    let signed = find_signed(root_visit(&message)).map(|visit| {
        let (entity, parts) = describe_signed(visit, raw);
        let holder = visit.message;
        let attached_at = visit
            .in_attachment
            .then(|| attached_part(&message, holder))
            .flatten();
        let disagreements = if visit.addressable {
            agreement::disagreements(holder, raw)
        } else {
            Vec::new()
        };
        let outside = |is: &dyn Fn(&MessagePart<'_>) -> bool| {
            if !visit.addressable {
                return 0;
            }
            holder
                .parts
                .iter()
                .filter(|p| is(p))
                .filter(|p| {
                    let at = p.offset_header as usize;
                    at < entity.entity.start || at >= entity.entity.end
                })
                .count()
        };
        let daticert_outside = outside(&|p| is_named(p, "daticert.xml"));
        let signature_outside = outside(&is_signature_part);
        let original_outside = outside(&|p| is_named(p, "postacert.eml"));
        SignedAt {
            signed_entities: count_signed(holder),
            daticert_outside,
            signature_outside,
            original_outside,
            entity,
            attached_at,
            disagreements,
            parts,
        }
    });
    let cut = |span: Option<Span>| {
        span.filter(|s| !s.is_empty())
            .and_then(|s| s.slice(raw))
            .and_then(|bytes| MessageParser::new().parse(bytes))
    };
    let content = cut(signed.as_ref().map(|s| s.entity.content));
    let signature = cut(signed.as_ref().and_then(|s| s.entity.signature_part));
    Some(Parsed {
        raw,
        message,
        signed,
        content,
        signature,
    })
}

impl<'x> Parsed<'x> {
    /// The whole message, as mail-parser reads it.
    pub fn message(&self) -> &Message<'x> {
        &self.message
    }

    /// The signed content as the strict scan cut it, parsed on its own.
    pub fn signed_content(&self) -> Option<&Message<'x>> {
        self.content.as_ref()
    }

    /// Locate the PEC structure: in the signed content when there is a signed entity, else in the whole
    /// message (whose daticert, if any, no signature covers).
    pub fn locate(&self) -> Located<'_, 'x> {
        let mut structure = PecStructure::default();
        let mut located = Located {
            structure: PecStructure::default(),
            signature: None,
            daticert: None,
            original: None,
            pec_message: &self.message,
        };
        match &self.signed {
            Some(signed) => {
                if let Some(at) = signed.attached_at
                    && let Some(PartType::Message(inner)) = self.message.part(at).map(|p| &p.body)
                {
                    located.pec_message = inner;
                }
                located.signature = self
                    .signature
                    .as_ref()
                    .and_then(|m| m.part(0))
                    .map(|p| p.contents().to_vec())
                    .filter(|c| !c.is_empty());
                structure.ambiguities = signed.disagreements.clone();
                structure.signed_entities = signed.signed_entities;
                structure.signed_parts = signed.parts;
                structure.daticert_outside_signed = signed.daticert_outside;
                structure.signature_outside_signed = signed.signature_outside;
                structure.original_outside_signed = signed.original_outside;
                structure.signed = Some(signed.entity.clone());
                if let Some(content) = &self.content {
                    let base = signed.entity.content.start;
                    let bytes = signed.entity.content.slice(self.raw).unwrap_or_default();
                    structure.ambiguities.extend(
                        agreement::disagreements(content, bytes)
                            .into_iter()
                            .map(|d| format!("in the signed content, {d}")),
                    );
                    structure.nested_signed = count_signed(content);
                    let visit = Visit {
                        addressable: true,
                        ..root_visit(content)
                    };
                    collect_contents(visit, true, base, &mut structure, &mut located);
                }
            }
            None => collect_contents(
                root_visit(&self.message),
                false,
                0,
                &mut structure,
                &mut located,
            ),
        }
        structure.decoding_problems = self
            .message
            .parts
            .iter()
            .chain(self.content.iter().flat_map(|c| c.parts.iter()))
            .filter(|p| p.is_encoding_problem)
            .count();
        located.structure = structure;
        located
    }
}

/// The parts of `message` that say they are a REM section (`REM-Section-Type`, ETSI EN 319 532-4), with
/// its value, in order: read by `pec-rem`, and the reason the PEC reading leaves such a message alone.
pub fn rem_sections_of<'m, 'x>(
    message: &'m Message<'x>,
) -> impl Iterator<Item = (&'m str, &'m MessagePart<'x>)> {
    message.parts.iter().filter_map(|p| {
        p.headers.iter().find_map(|h| {
            h.name
                .as_str()
                .eq_ignore_ascii_case("REM-Section-Type")
                .then(|| h.value.as_text())
                .flatten()
                .map(|v| (v.trim(), p))
        })
    })
}

/// Whether the signed content holds REM sections (see [`rem_sections_of`]).
pub fn has_rem_sections(parsed: &Parsed<'_>) -> bool {
    parsed
        .signed_content()
        .is_some_and(|content| rem_sections_of(content).next().is_some())
}

/// A part to visit: which message it belongs to, its id there, its multipart depth, and whether the
/// message's offsets are offsets into the bytes it was parsed from.
#[derive(Clone, Copy)]
struct Visit<'m, 'x> {
    message: &'m Message<'x>,
    part: u32,
    depth: usize,
    addressable: bool,
    in_attachment: bool,
}

/// The visit of a message's root part.
fn root_visit<'m, 'x>(message: &'m Message<'x>) -> Visit<'m, 'x> {
    Visit {
        message,
        part: 0,
        depth: 0,
        addressable: true,
        in_attachment: false,
    }
}

/// The part of `root` whose body is the attached message `inner`.
fn attached_part(root: &Message<'_>, inner: &Message<'_>) -> Option<u32> {
    root.parts
        .iter()
        .position(|p| matches!(&p.body, PartType::Message(m) if std::ptr::eq(m, inner)))
        .and_then(|i| u32::try_from(i).ok())
}

/// How many `multipart/signed` entities `message` holds (attached messages not entered).
fn count_signed(message: &Message<'_>) -> usize {
    message
        .parts
        .iter()
        .filter(|p| matches!(p.body, PartType::Multipart(_)) && is_type(p, "multipart", "signed"))
        .count()
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

/// Describe the signed entity from the strict scan of its body, with how many body parts it has.
fn describe_signed(signed: Visit<'_, '_>, raw: &[u8]) -> (SignedEntity, usize) {
    let part = signed.message.part(signed.part);
    let content_type = part.and_then(|p| p.content_type());
    let attr = |name: &str| {
        content_type
            .and_then(|c| c.attribute(name))
            .map(str::to_owned)
    };
    let entity_span = part
        .map(|p| Span::new(p.offset_header as usize, p.offset_end as usize))
        .unwrap_or(Span::new(0, 0));
    let body_span = part
        .map(|p| Span::new(p.offset_body as usize, p.offset_end as usize))
        .unwrap_or(Span::new(0, 0));

    // The exact bytes come from our own delimiter scan of the raw body, not from mail-parser's tree.
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
    (entity, delimited.len())
}

/// Breadth-first over a subtree (not entering attached messages): daticert, postacert and text parts.
/// `base` is where the subtree's bytes start in the raw message.
fn collect_contents<'m, 'x>(
    from: Visit<'m, 'x>,
    signed: bool,
    base: usize,
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
            .then(|| Span::new(part.offset_body as usize, part.offset_end as usize).shifted(base));
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

/// A body part typed `application/(x-)pkcs7-signature`: what a reader takes as a `.p7s`.
fn is_signature_part(part: &MessagePart<'_>) -> bool {
    matches!(part.body, PartType::Binary(_) | PartType::InlineBinary(_))
        && part.content_type().is_some_and(|c| {
            c.ctype().eq_ignore_ascii_case("application")
                && c.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("pkcs7-signature")
                        || s.eq_ignore_ascii_case("x-pkcs7-signature")
                })
        })
}

fn is_named(part: &MessagePart<'_>, name: &str) -> bool {
    part.attachment_name()
        .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
}
