//! pec-document's integration tests, one binary (see `it/`).

mod it;
