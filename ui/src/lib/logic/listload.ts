// A long list's loading state, apart from Svelte (used by VirtualList.svelte): pages fetched as the
// window needs them, answers of an older request ignored, and a failed fetch kept as a failure with
// its error — shown with a retry, never as an empty list (issue 16 §5).
import { PageCache } from './pages';

export type ListStatus<E> = { kind: 'loading' } | { kind: 'ready' } | { kind: 'failed'; error: E };

export class ListLoader<T, E> {
  readonly cache: PageCache<T>;
  status: ListStatus<E> = { kind: 'loading' };
  total = 0;
  private generation = 0;

  constructor(readonly pageSize: number) {
    this.cache = new PageCache<T>(pageSize);
  }

  /** The generation of the list's current request: pages fetched for it carry it back. */
  get current(): number {
    return this.generation;
  }

  /** Starts over (the order, a filter or the content changed): the generation and the first page. */
  restart(): { generation: number; pages: number[] } {
    this.generation++;
    this.cache.clear();
    this.status = { kind: 'loading' };
    return { generation: this.generation, pages: this.cache.claim(0, this.pageSize) };
  }

  /** The pages rows `start..end` need and nobody asked for yet; none while failed (until a retry). */
  claim(start: number, end: number): number[] {
    if (this.status.kind === 'failed') return [];
    return this.cache.claim(start, end);
  }

  /** A page arrived, with the list's length or `null` (a later page: not counted again, the first
   *  page's count stands); false if it answers an older request (ignored). */
  arrived(generation: number, page: number, rows: T[], total: number | null): boolean {
    if (generation !== this.generation) return false;
    const length = total ?? this.total;
    this.cache.put(page, rows, length);
    this.total = length;
    if (this.status.kind === 'loading') this.status = { kind: 'ready' };
    return true;
  }

  /** A page's fetch failed; false if it answers an older request (ignored). */
  failed(generation: number, page: number, error: E): boolean {
    if (generation !== this.generation) return false;
    this.cache.release(page);
    this.status = { kind: 'failed', error };
    return true;
  }

  /** Tries again after a failure: the pages rows `start..end` need (the first one if none arrived). */
  retry(start: number, end: number): { generation: number; pages: number[] } {
    this.status = { kind: this.cache.hasRows() ? 'ready' : 'loading' };
    const pages = this.cache.claim(start, end);
    if (!this.cache.hasRows()) pages.push(...this.cache.claim(0, this.pageSize));
    return { generation: this.generation, pages };
  }

  /** Whether the list is known to hold nothing (not merely not loaded, not failed). */
  get empty(): boolean {
    return this.status.kind === 'ready' && this.total === 0;
  }
}
