//! Full-text search on PostgreSQL, matching what FTS5 does on SQLite (see [`crate::search`]): accents
//! folded away, words split at punctuation (an address matches by its parts), every word of the user's
//! text required, the last one also as the beginning of a word unless it is an address (the user's
//! words are cut by [`crate::search::Words`]). Each message's document holds all its words as
//! written, and the Italian and English stems of its subject and text, so "diffide" finds
//! "diffida" (names, addresses and file names are no language's words: stemming them too tripled the
//! server's work for each message archived and found nothing more).
//!
//! The user's text never reaches `to_tsquery` as syntax: it is cut into letters-and-digits parts, and
//! only those, quoted, are put together with `&`, `<->` and `:*`.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` without accents, in lower case.
pub fn folded(text: &str) -> String {
    // Most of a mailbox's text is ASCII, which has no accents to take away: decomposing it only to
    // find none cost the archive's writer time on every message.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The letters-and-digits parts of `text`, folded (as both engines' indexes cut words).
pub fn parts(text: &str) -> Vec<String> {
    folded(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The words of a message's text as the `simple` configuration indexes them (parts, space-separated).
pub fn document_words(text: &str) -> String {
    words_of_folded(&folded(text))
}

/// [`document_words`] of text already [`folded`] (a message's text is folded once for both).
pub fn words_of_folded(folded: &str) -> String {
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    words.join(" ")
}

/// The SQL that makes a message's search document: its words as written (`?2`, a [`simple_vector`];
/// else `?4`, [`document_words`] of all its text, cut by the server) and the stems of `prose` (`?3`,
/// [`folded`] subject and text).
pub const DOCUMENT: &str = "coalesce(?2::text::tsvector, to_tsvector('simple', ?4)) \
    || to_tsvector('italian', ?3) || to_tsvector('english', ?3)";

/// A message's `words` ([`document_words`] of all its text) and `prose` ([`folded`] subject and text),
/// from which its document is made ([`DOCUMENT`]).
pub fn words_and_prose(text: &crate::facts::SearchText) -> (String, String) {
    let [subject, parties, body, attachments] =
        [&text.subject, &text.parties, &text.body, &text.attachments].map(|t| folded(t));
    let words = words_of_folded(
        &[&subject, &parties, &body, &attachments]
            .map(|t| t.as_str())
            .join("\n"),
    );
    (words, format!("{subject}\n{body}"))
}

/// Words longer than this (in bytes) are left out of a document, as the server's parser leaves them.
const LONGEST_WORD: usize = 2047;
/// The last position a document records; later words are all at this one, as the server has it.
const LAST_POSITION: u32 = 16_383;
/// The most positions a document records for one word, as the server's `to_tsvector` keeps.
const MOST_POSITIONS: usize = 255;

/// `words` ([`document_words`]) as the literal of the `tsvector` that `to_tsvector('simple', words)`
/// makes, so the server need not cut them (its parser was the most of what archiving a message cost
/// it: issue 18, the import's speed). `None` where the server's parser could cut a word otherwise
/// than at the spaces: outside ASCII, and a number in scientific notation followed by more (`3e8a`
/// is `3e8` and `a` to it). The integration suite checks this against the server's own on the corpus.
pub fn simple_vector(words: &str) -> Option<String> {
    use std::fmt::Write;
    if !words.is_ascii() {
        return None;
    }
    let mut positions: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
    let mut position = 0u32;
    for word in words.split(' ') {
        if scientific_then_more(word) {
            return None;
        }
        if word.is_empty() || word.len() > LONGEST_WORD {
            continue;
        }
        position = (position + 1).min(LAST_POSITION);
        let at = positions.entry(word).or_default();
        if at.len() < MOST_POSITIONS && at.last() != Some(&position) {
            at.push(position);
        }
    }
    let mut literal = String::with_capacity(words.len() * 2);
    for (word, at) in positions {
        if !literal.is_empty() {
            literal.push(' ');
        }
        literal.push('\'');
        literal.push_str(word);
        literal.push_str("':");
        for (i, p) in at.iter().enumerate() {
            let _ = write!(literal, "{}{p}", if i > 0 { "," } else { "" });
        }
    }
    Some(literal)
}

/// Whether the server's parser would read `word` as a number in scientific notation (digits, `e`,
/// digits) with more after it, and so cut it in two.
fn scientific_then_more(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.windows(3).enumerate().any(|(i, w)| {
        w[0].is_ascii_digit()
            && w[1] == b'e'
            && w[2].is_ascii_digit()
            && bytes[i + 3..].iter().any(|b| !b.is_ascii_digit())
    })
}

/// The `tsquery` text for the user's `text`, or `None` if it holds no word.
pub fn query(text: &str) -> Option<String> {
    let words = crate::search::Words::of(text);
    if words.is_empty() {
        return None;
    }
    let terms: Vec<String> = words
        .each()
        .map(|(word, continues)| {
            let n = word.len() - 1;
            word.iter()
                .enumerate()
                .map(|(j, part)| {
                    if continues && j == n {
                        format!("'{part}':*")
                    } else {
                        format!("'{part}'")
                    }
                })
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    Some(terms.join(" & "))
}

/// The ids of the messages matching the query bound at `q` (a placeholder such as `?3`).
pub fn matching(q: &str) -> String {
    format!("SELECT id FROM search WHERE document @@ {}", tsquery(q))
}

/// The `tsquery` of the query bound at `q`: its words as written, or their Italian or English stems.
///
/// A subquery, so it is made once per statement: in a prepared statement's generic plan the
/// functions of a parameter are otherwise called again for every row matched (the Italian and
/// English stemmers included), which made a walk over 20,000 messages ten times slower (45 ms
/// against 4.3 ms at a million messages).
pub fn tsquery(q: &str) -> String {
    format!(
        "(SELECT to_tsquery('simple', {q}) || to_tsquery('italian', {q}) || to_tsquery('english', {q}))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_quoted_parts_never_query_syntax() {
        assert_eq!(
            query("Diffida ross").as_deref(),
            Some("'diffida' & 'ross':*")
        );
        assert_eq!(
            query("mario.rossi@pec.it").as_deref(),
            Some("'mario' <-> 'rossi' <-> 'pec' <-> 'it'")
        );
        assert_eq!(
            query("mario.rossi").as_deref(),
            Some("'mario' <-> 'rossi':*")
        );
        assert_eq!(
            query("a' | !b:* città").as_deref(),
            Some("'a' & 'b' & 'citta':*")
        );
        assert_eq!(query(" ;; & "), None);
    }

    #[test]
    fn simple_vectors_record_each_word_with_its_positions() {
        assert_eq!(
            simple_vector("pec mario rossi pec it").as_deref(),
            Some("'it':5 'mario':2 'pec':1,4 'rossi':3")
        );
        assert_eq!(
            simple_vector("1e10 x86 12e").as_deref(),
            Some("'12e':3 '1e10':1 'x86':2")
        );
        // What the server's parser cuts otherwise is left to it.
        assert_eq!(simple_vector("3e8a"), None);
        assert_eq!(simple_vector("a 10e5b"), None);
        assert_eq!(simple_vector("citta\u{e0}"), None);
        assert_eq!(simple_vector("").as_deref(), Some(""));
        // At most 255 positions for a word, none past 16,383.
        let many = vec!["ok"; 20_000].join(" ");
        let literal = simple_vector(&many).unwrap();
        assert_eq!(literal.matches(',').count(), 254);
        let late = format!("{} tardi tardi", vec!["x"; 17_000].join(" "));
        assert!(simple_vector(&late).unwrap().starts_with("'tardi':16383 "));
    }

    #[test]
    fn ascii_is_folded_as_any_text() {
        let ascii: String = (0u8..128).map(char::from).collect();
        let by_decomposing: String = ascii.nfd().flat_map(char::to_lowercase).collect();
        assert_eq!(folded(&ascii), by_decomposing);
        assert_eq!(folded("Città PERCHÉ"), "citta perche");
    }

    #[test]
    fn documents_are_folded_and_split_at_punctuation() {
        assert_eq!(
            document_words("Città: mario.rossi@pec.it"),
            "citta mario rossi pec it"
        );
        assert_eq!(
            words_of_folded(&folded("Diffida — N° 12/B")),
            document_words("Diffida — N° 12/B")
        );
    }
}
