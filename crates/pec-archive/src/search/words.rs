//! The user's words, cut as both engines' indexes cut a message's text: accents and case aside, each
//! word its letters-and-digits parts in a row (`mario.rossi@pec` is `mario rossi pec`), the last one's
//! last part also the beginning of a longer word unless that word is an address
//! ([`crate::search::may_continue`]). PostgreSQL's query is made from them
//! (`db::postgres::search::query`), and the hits are ordered by them ([`crate::search::ranking`]).

use crate::db::postgres::search::parts;

/// The user's words, folded and cut into parts.
#[derive(Debug)]
pub struct Words {
    words: Vec<Vec<String>>,
    /// Whether the last word may also be the beginning of a longer one.
    last_continues: bool,
}

impl Words {
    /// The words of the user's `text` (those holding a letter or a digit).
    pub fn of(text: &str) -> Words {
        let written: Vec<(&str, Vec<String>)> = text
            .split_whitespace()
            .map(|w| (w, parts(w)))
            .filter(|(_, p)| !p.is_empty())
            .collect();
        Words {
            last_continues: written
                .last()
                .is_some_and(|(w, _)| crate::search::may_continue(w, true)),
            words: written.into_iter().map(|(_, p)| p).collect(),
        }
    }

    /// Whether the text held no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Each word's parts, and whether its last part may also begin a longer word.
    pub fn each(&self) -> impl Iterator<Item = (&[String], bool)> {
        let last = self.words.len().saturating_sub(1);
        self.words
            .iter()
            .enumerate()
            .map(move |(i, w)| (w.as_slice(), i == last && self.last_continues))
    }
}
