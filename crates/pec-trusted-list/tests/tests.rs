//! pec-trusted-list's integration tests: the real EU and Italian lists, the xmlsec1 oracle, tampered
//! and wrapped copies, synthetic lists signed with test keys, hostile XML.

mod it;
