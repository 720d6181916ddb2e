//! Message-IDs and addresses in the one normal form used for comparing and linking (PEC rules §7).

/// A Message-ID with exactly one pair of angle brackets and no surrounding whitespace: `<local@domain>`.
pub fn bracketed(id: &str) -> String {
    let core = unbracketed(id);
    format!("<{core}>")
}

/// A Message-ID without angle brackets or whitespace, the form used as a linking key.
pub fn unbracketed(id: &str) -> &str {
    let t = id.trim();
    let t = t.strip_prefix('<').unwrap_or(t);
    let t = t.strip_suffix('>').unwrap_or(t);
    t.trim()
}

/// Whether two Message-IDs name the same message (brackets and surrounding space ignored).
pub fn same_message_id(a: &str, b: &str) -> bool {
    unbracketed(a) == unbracketed(b)
}

/// An e-mail address in comparable form: trimmed, brackets removed, lower-case.
/// NOTE: the local part is case-sensitive in theory; PEC providers treat addresses case-insensitively.
pub fn normal_address(address: &str) -> String {
    unbracketed(address).to_lowercase()
}

/// Whether two addresses are the same mailbox.
pub fn same_address(a: &str, b: &str) -> bool {
    normal_address(a) == normal_address(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_compare_without_brackets_or_spaces() {
        assert_eq!(bracketed(" abc@x.it "), "<abc@x.it>");
        assert_eq!(bracketed("<abc@x.it>"), "<abc@x.it>");
        assert!(same_message_id("<abc@x.it>", "abc@x.it"));
        assert!(!same_message_id("<abc@x.it>", "<abd@x.it>"));
    }

    #[test]
    fn addresses_compare_case_insensitively() {
        assert!(same_address("Mario.Rossi@PEC.it", "<mario.rossi@pec.it>"));
    }
}
