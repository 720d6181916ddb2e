import { describe, expect, it } from 'vitest';
import { chosenMailbox, mailboxChoices, preselectedMailbox } from './mailboxes';

describe('the mailbox an import belongs to', () => {
  it('offers each configured or held mailbox once, as the archive spells it', () => {
    expect(
      mailboxChoices([' Studio@PEC.example.it', 'civile@pec.example.it'], ['studio@pec.example.it', 'penale@pec.example.it', '']),
    ).toEqual(['civile@pec.example.it', 'penale@pec.example.it', 'studio@pec.example.it']);
  });

  it('leaves out what is not an address (a file arrival has no account)', () => {
    expect(mailboxChoices([], ['', 'INBOX'])).toEqual([]);
  });

  it('chooses the only mailbox there is, and leaves several to the person', () => {
    expect(preselectedMailbox(['studio@pec.example.it'])).toBe('studio@pec.example.it');
    expect(preselectedMailbox(['a@pec.it', 'b@pec.it'])).toBe('');
    expect(preselectedMailbox([])).toBe('');
  });

  it('gives the command no mailbox for the empty choice', () => {
    expect(chosenMailbox('')).toBeNull();
    expect(chosenMailbox('studio@pec.example.it')).toBe('studio@pec.example.it');
  });
});
