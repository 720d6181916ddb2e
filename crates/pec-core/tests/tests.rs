//! pec-core's integration tests: the real corpus, synthetic messages of every kind, hostile input.

mod it;
