//! pec-lab's one integration binary: the in-process signer against pec-core's verifier, and the whole lab
//! (real Dovecot, SMTPS submissions, IMAPS reads) end to end.

mod it;
