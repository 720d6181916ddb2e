//! pec-pack's integration tests: one binary (see `it/`).

mod it;
