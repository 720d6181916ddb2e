// Rows of a long list fetched page by page as the window needs them, kept until the list changes.
import { pagesFor } from './window';

export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private asked = new Set<number>();
  total = 0;

  constructor(readonly pageSize: number) {}

  /** Row `index`, if its page has arrived. */
  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Pages holding `start..end` that are neither here nor asked for; marks them asked. */
  claim(start: number, end: number): number[] {
    const wanted = pagesFor(start, end, this.pageSize).filter((p) => !this.pages.has(p) && !this.asked.has(p));
    for (const p of wanted) this.asked.add(p);
    return wanted;
  }

  put(page: number, rows: T[], total: number): void {
    this.pages.set(page, rows);
    this.asked.delete(page);
    this.total = total;
  }

  /** Forgets that `page` was asked for (its fetch failed), so it is claimed again. */
  release(page: number): void {
    this.asked.delete(page);
  }

  /** Whether any page has arrived. */
  hasRows(): boolean {
    return this.pages.size > 0;
  }

  /** Forgets everything (the list's filter, order or content changed). */
  clear(): void {
    this.pages.clear();
    this.asked.clear();
  }
}
