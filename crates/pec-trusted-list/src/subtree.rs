//! An element and everything under it, as the node set a signature reference or `SignedInfo`
//! canonicalises (XMLDSig §4.4.3.3, C14N 1.0 §2.3): which nodes are in it, answered in constant time.
//! Used by both enveloped-signature verifiers: a Trusted List's (`dsig`) and a REM evidence's XAdES.
//!
//! C14N asks the node-set predicate about every node of the document, for every set it
//! canonicalises; walking up from each node to see whether the apex is among its ancestors
//! ([`crate::xml::within`]) was a fortieth of a REM receipt's verification (issue 14). In document
//! order a subtree is one run of nodes, from its apex to its last descendant; xml-sec numbers nodes
//! in that order, so the run is a range of ids. That numbering is checked on the document at hand,
//! not assumed: where the ids do not rise in document order, the answer walks up as before.

use xml_sec::{Node, NodeId};

/// The subtree of one element.
#[derive(Debug, Clone, Copy)]
pub struct Subtree {
    apex: NodeId,
    /// The id of its last node in document order, when ids follow document order.
    last: Option<NodeId>,
}

impl Subtree {
    /// The subtree under `apex` (`apex` included).
    pub fn of(apex: Node<'_, '_>) -> Subtree {
        let mut ids = apex.document().descendants().map(|n| n.id());
        let mut previous = ids.next();
        // NOTE: if every id is larger than the one before it in document order, a run of nodes in
        // document order is exactly the nodes whose ids lie between the run's first and last.
        let in_order = ids.all(|id| {
            let rises = previous.is_some_and(|p| p < id);
            previous = Some(id);
            rises
        });
        let last = apex.descendants().next_back().map(|n| n.id());
        Subtree {
            apex: apex.id(),
            last: last.filter(|_| in_order),
        }
    }

    /// Whether `node` is the apex or inside it.
    pub fn contains(&self, node: Node<'_, '_>) -> bool {
        match self.last {
            Some(last) => (self.apex..=last).contains(&node.id()),
            None => crate::xml::within(node, self.apex),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Subtree;
    use crate::xml::within;
    use xml_sec::Document;

    #[test]
    fn a_subtree_holds_exactly_the_nodes_walking_up_finds_it_above() {
        let xml = r#"<?xml version="1.0"?><!-- before --><e:Evidence xmlns:e="urn:e" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="E">
  <e:EventTime>2022-08-03T14:22:12Z</e:EventTime>
  <ds:Signature Id="S"><ds:SignedInfo><ds:Reference URI=""><ds:DigestValue>AA==</ds:DigestValue></ds:Reference></ds:SignedInfo>
    <ds:SignatureValue>q83v</ds:SignatureValue>
    <ds:Object><x:Q xmlns:x="urn:x"><x:SignedProperties Id="P"><x:T>t<!-- c --><?pi v?></x:T></x:SignedProperties></x:Q></ds:Object>
  </ds:Signature>
  <e:After><e:Deep><e:Deeper/></e:Deep></e:After>
</e:Evidence><?tail?>"#;
        let doc = Document::parse(xml).unwrap();
        let mut checked = 0;
        for apex in doc.descendants().filter(|n| n.is_element()) {
            let subtree = Subtree::of(apex);
            assert!(
                subtree.last.is_some(),
                "xml-sec numbers nodes in document order"
            );
            for node in doc.descendants() {
                assert_eq!(subtree.contains(node), within(node, apex.id()));
                checked += 1;
            }
        }
        assert!(checked > 200);
    }

    #[test]
    fn without_ids_in_document_order_the_answer_walks_up() {
        let doc = Document::parse("<a><b><c/></b><d/></a>").unwrap();
        let b = doc.descendants().find(|n| n.has_tag_name("b")).unwrap();
        let walking = Subtree {
            apex: b.id(),
            last: None,
        };
        for node in doc.descendants() {
            assert_eq!(walking.contains(node), within(node, b.id()));
        }
    }
}
