//! The few spellings where the engines' SQL differs, for queries built at run time: case-blind
//! ordering and the full-text match (FTS5 on SQLite, `tsvector` on PostgreSQL).

use super::Engine;

/// `column` compared without regard to case, as the list indexes spell it.
pub fn nocase(engine: Engine, column: &str) -> String {
    match engine {
        Engine::Sqlite => format!("{column} COLLATE NOCASE"),
        Engine::Postgres => format!("lower({column})"),
    }
}

/// `table` read through `index` (SQLite's planner is told; PostgreSQL's plans from its statistics).
pub fn indexed_by(engine: Engine, table: &str, index: &str) -> String {
    match engine {
        Engine::Sqlite => format!("{table} INDEXED BY {index}"),
        Engine::Postgres => table.to_owned(),
    }
}

/// The search parameter for the user's `text` on `engine`, or `None` if it holds no word.
pub fn text_query(engine: Engine, text: &str) -> Option<String> {
    match engine {
        Engine::Sqlite => crate::search::fts_query(text),
        Engine::Postgres => super::postgres::search::query(text),
    }
}

/// The ids of the messages matching the search parameter bound at `q` (from [`text_query`]).
pub fn matching(engine: Engine, q: &str) -> String {
    match engine {
        Engine::Sqlite => format!("SELECT rowid FROM search WHERE search MATCH {q}"),
        Engine::Postgres => super::postgres::search::matching(q),
    }
}
