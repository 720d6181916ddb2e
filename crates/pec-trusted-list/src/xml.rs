//! The bounded XML reading every other module stands on: parse once (no DTD, no entity expansion,
//! bounded size, depth and node count) and walk elements by namespace and local name.
//!
//! Used by `read` (the list's content) and `dsig` (its signature); both see the same tree, so what is
//! verified is what is read. ETSI TS 119 612 §5 names the elements; XML 1.0 §2.8 the DTD we refuse.

use std::collections::HashSet;

use xml_sec::c14n::{C14nAlgorithm, canonicalize};
use xml_sec::{Document, Node, NodeId, ParsingOptions};

use crate::error::ReadError;
pub use crate::subtree::Subtree;

/// ETSI TS 119 612 (v2) main namespace.
pub const TSL: &str = "http://uri.etsi.org/02231/v2#";
/// TS 119 612 additional types (MimeType, …).
pub const TSLX: &str = "http://uri.etsi.org/02231/v2/additionaltypes#";
/// The Qualifications extension namespace (TS 119 612 §5.5.9.2).
pub const ECC: &str = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#";
/// XAdES 1.3.2 (policy identifiers inside Qualifications, and the signature's SignedProperties).
pub const XADES: &str = "http://uri.etsi.org/01903/v1.3.2#";
/// W3C XMLDSig.
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// The largest list we read. The EU lists of 2023 are 0.5–2.5 MB; the biggest national lists are
/// below 10 MB. It is also xml-sec's own ceiling.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;
/// The most elements, texts and attributes we keep (a 2.4 MB Italian list has ~150 000 nodes).
pub const MAX_NODES: u32 = 4_000_000;
/// The deepest element nesting we accept (a real list nests ~12 deep; the parser's ceiling is 256).
pub const MAX_DEPTH: usize = 64;

/// Parses the list's bytes into a tree, or says why not, without ever expanding an entity.
pub fn parse(xml: &[u8]) -> Result<Document<'_>, ReadError> {
    if xml.len() > MAX_LIST_BYTES {
        return Err(ReadError::TooLarge {
            bytes: xml.len(),
            limit: MAX_LIST_BYTES,
        });
    }
    let text = std::str::from_utf8(xml).map_err(|_| ReadError::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| {
        use xml_sec::ParseError as P;
        match e {
            P::DtdDetected => ReadError::DtdForbidden,
            P::NodesLimitReached => ReadError::TooManyNodes { limit: MAX_NODES },
            P::DepthLimitReached { actual, .. } => ReadError::TooDeep {
                depth: actual,
                limit: MAX_DEPTH,
            },
            P::ByteLimitReached { actual, maximum } => ReadError::TooLarge {
                bytes: actual,
                limit: maximum,
            },
            other => ReadError::Malformed(other.to_string()),
        }
    })?;
    let depth = max_depth(doc.root());
    if depth > MAX_DEPTH {
        return Err(ReadError::TooDeep {
            depth,
            limit: MAX_DEPTH,
        });
    }
    Ok(doc)
}

/// The deepest element nesting below `root`, iteratively (no recursion on hostile input).
fn max_depth(root: Node<'_, '_>) -> usize {
    let mut deepest = 0;
    for node in root.descendants().filter(Node::is_element) {
        // NOTE: counting ancestors per element is O(n·depth); depth is bounded by the parser (256).
        let depth = node.ancestors().count();
        deepest = deepest.max(depth);
        if deepest > MAX_DEPTH {
            break;
        }
    }
    deepest
}

/// Whether `node` is the element `{ns}local`.
pub fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// The first child element `{ns}local`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(*c, ns, local))
}

/// Every child element `{ns}local`, in document order.
pub fn children<'a, 'i: 'a>(
    node: Node<'a, 'i>,
    ns: &'a str,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    node.children().filter(move |c| is(*c, ns, local))
}

/// Follows a path of child elements in one namespace.
pub fn path<'a, 'i>(node: Node<'a, 'i>, ns: &str, steps: &[&str]) -> Option<Node<'a, 'i>> {
    steps.iter().try_fold(node, |n, step| child(n, ns, step))
}

/// The element's character data (all its text children), trimmed.
pub fn text(node: Node<'_, '_>) -> String {
    let mut out = String::new();
    for c in node.children().filter(Node::is_text) {
        out.push_str(c.text().unwrap_or(""));
    }
    out.trim().to_owned()
}

/// The trimmed text of child `{ns}local`, if present.
pub fn child_text(node: Node<'_, '_>, ns: &str, local: &str) -> Option<String> {
    child(node, ns, local).map(text)
}

// The XML-signature plumbing both enveloped signatures Attesta verifies share (a Trusted List's,
// `dsig`; a REM evidence's XAdES, `pec-rem`): each caller words the errors as its own refusal.

/// Whether `node` is `apex` or inside it.
pub fn within(node: Node<'_, '_>, apex: NodeId) -> bool {
    let mut cur = Some(node);
    while let Some(n) = cur {
        if n.id() == apex {
            return true;
        }
        cur = n.parent();
    }
    false
}

/// An element's Id (`Id`, else `ID` or `id`).
pub fn id_of<'a>(n: Node<'a, '_>) -> Option<&'a str> {
    n.attribute("Id")
        .or_else(|| n.attribute("ID"))
        .or_else(|| n.attribute("id"))
}

/// The first Id two elements share, if any: a reference must resolve to one element.
pub fn duplicate_id(doc: &Document<'_>) -> Option<String> {
    let mut seen = HashSet::new();
    doc.descendants()
        .filter(Node::is_element)
        .filter_map(id_of)
        .find(|id| !seen.insert(*id))
        .map(str::to_owned)
}

/// The C14N algorithm an element's `Algorithm` names (with its `InclusiveNamespaces PrefixList`);
/// `Err` carries the unknown URI. Comments are kept only when `honour_comments` (a same-document
/// reference drops them whatever the variant says, XMLDSig §4.4.3.3).
pub fn c14n_algorithm(
    method: Node<'_, '_>,
    honour_comments: bool,
) -> Result<C14nAlgorithm, String> {
    let uri = method.attribute("Algorithm").unwrap_or("");
    let algo = C14nAlgorithm::from_uri(uri).ok_or_else(|| uri.to_owned())?;
    let algo = if honour_comments {
        algo
    } else {
        C14nAlgorithm::new(algo.mode(), false)
    };
    let prefixes = method
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
        .and_then(|c| c.attribute("PrefixList"));
    Ok(match prefixes {
        Some(list) => algo.with_prefix_list(list),
        None => algo,
    })
}

/// The canonical form of the nodes `visible` keeps; `Err` says why C14N failed.
pub fn canonical(
    doc: &Document<'_>,
    algo: &C14nAlgorithm,
    visible: impl Fn(Node<'_, '_>) -> bool,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let predicate = |n: Node<'_, '_>| visible(n);
    canonicalize(doc, Some(&predicate), algo, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
