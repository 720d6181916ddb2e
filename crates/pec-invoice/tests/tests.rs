//! pec-invoice's integration tests: the real corpus (invoices, SdI notifications, SdI exchanges as PEC
//! messages), linking on real pairs, hostile XML.

mod it;
