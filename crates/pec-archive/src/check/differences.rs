//! Part of step 3 of `archive check`: which columns of a stored derived row differ from the row its
//! bytes give, for the problem's sentence.

use crate::rows::FactsRow;

/// `name: stored …, derived …` for each column that differs, joined with `; `.
pub(super) fn differences(stored: &FactsRow, fresh: &FactsRow) -> String {
    let mut out = Vec::new();
    let mut cmp = |name: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{name}: stored {a:?}, derived {b:?}"));
        }
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    cmp("kind", stored.kind.clone(), fresh.kind.clone());
    cmp("virus", stored.virus.to_string(), fresh.virus.to_string());
    cmp("provider", o(&stored.provider), o(&fresh.provider));
    cmp("sender", o(&stored.sender), o(&fresh.sender));
    cmp("subject", o(&stored.subject), o(&fresh.subject));
    cmp(
        "identificativo",
        o(&stored.identificativo),
        o(&fresh.identificativo),
    );
    cmp("msgid", o(&stored.msgid), o(&fresh.msgid));
    cmp("message_id", o(&stored.message_id), o(&fresh.message_id));
    cmp("link_key", o(&stored.link_key), o(&fresh.link_key));
    cmp("link_basis", o(&stored.link_basis), o(&fresh.link_basis));
    cmp("consegna", o(&stored.consegna), o(&fresh.consegna));
    cmp(
        "certified_at",
        o(&stored.certified_at),
        o(&fresh.certified_at),
    );
    cmp(
        "receipt_type",
        o(&stored.receipt_type),
        o(&fresh.receipt_type),
    );
    cmp("errore", stored.errore.clone(), fresh.errore.clone());
    cmp(
        "errore_esteso",
        o(&stored.errore_esteso),
        o(&fresh.errore_esteso),
    );
    cmp(
        "recipients",
        stored.recipients.clone(),
        fresh.recipients.clone(),
    );
    cmp(
        "untyped_recipients",
        stored.untyped_recipients.clone(),
        fresh.untyped_recipients.clone(),
    );
    cmp("date", o(&stored.date), o(&fresh.date));
    cmp("findings", stored.findings.clone(), fresh.findings.clone());
    cmp(
        "attachments",
        stored.attachments.clone(),
        fresh.attachments.clone(),
    );
    out.join("; ")
}
