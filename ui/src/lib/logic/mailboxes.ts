// Which mailbox files imported from the window belong to (issue 18 §4), as `attesta import --mailbox`
// names it: the choices are the configured accounts and the mailboxes the archive already holds mail
// of, each once, spelled as the archive records them (lower case); the one mailbox there is is chosen
// for the person, several are left to them. "No mailbox" is always a choice: on the firm's shared
// archive such files are seen only by those granted every mailbox.

/** The mailboxes to choose from: `accounts` (configured here) and `held` (the archive's folders'
 *  accounts), trimmed, in lower case, each once, sorted. */
export function mailboxChoices(accounts: readonly string[], held: readonly string[]): string[] {
  const names = new Set<string>();
  for (const name of [...accounts, ...held]) {
    const address = name.trim().toLowerCase();
    if (address.includes('@')) names.add(address);
  }
  return [...names].sort();
}

/** The choice made for the person: the only mailbox there is, else none ('': the person chooses). */
export function preselectedMailbox(choices: readonly string[]): string {
  return choices.length === 1 ? (choices[0] ?? '') : '';
}

/** What the command is given: `null` for no mailbox. */
export function chosenMailbox(choice: string): string | null {
  return choice.trim() === '' ? null : choice;
}
