// CHAT_FILTER=words: refuses a text containing a word of the list file (CHAT_WORDS_FILE). The file is checked
// for changes (mtime, size, inode) at most every `checkEveryMs`, on the next check after that, so an edited
// list holds within seconds on every node without a restart; fs.watch is not used (it misses edits made
// by rename on some file systems and needs a handle per node). A list that cannot be read keeps the last one.
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { ALLOWED, type ContentFilter, type FilterInput, type FilterVerdict } from './content-filter';
import { MAX_LIST_BYTES, WordList } from './word-list';

export interface WordFilterOptions {
  /** default 2000 */
  checkEveryMs?: number;
  /** a reload failed (the last list stays in force) */
  onError?: (err: unknown) => void;
  now?: () => number;
}

const signature = (s: Stats) => `${s.ino}:${s.size}:${s.mtimeMs}`;

async function readList(file: string): Promise<{ list: WordList; sig: string }> {
  const s = await stat(file);
  if (!s.isFile()) throw new Error(`word list ${file} is not a file`);
  if (s.size > MAX_LIST_BYTES) throw new Error(`word list ${file} is ${s.size} bytes, over the ${MAX_LIST_BYTES} allowed`);
  const text = await readFile(file, 'utf8');
  return { list: WordList.parse(text), sig: signature(s) };
}

export class WordFilter implements ContentFilter {
  private nextCheck: number;
  private checking: Promise<void> | null = null;
  /** the signature of a version that failed to load (or 'missing'), not retried until the file changes */
  private badSig: string | null = null;
  private readonly now: () => number;
  private readonly everyMs: number;

  private constructor(readonly file: string, private list: WordList, private sig: string, private readonly opts: WordFilterOptions) {
    this.now = opts.now ?? Date.now;
    this.everyMs = opts.checkEveryMs ?? 2000;
    this.nextCheck = this.now() + this.everyMs;
  }

  /** Reads the list; throws when it cannot (a missing list at startup is a configuration error). */
  static async open(file: string, opts: WordFilterOptions = {}): Promise<WordFilter> {
    const { list, sig } = await readList(file);
    return new WordFilter(file, list, sig, opts);
  }

  /** words in force */
  get size(): number {
    return this.list.size;
  }

  async check(input: FilterInput): Promise<FilterVerdict> {
    if (this.now() >= this.nextCheck) await this.refresh();
    const word = this.list.find(input.text);
    return word === null ? ALLOWED : { allowed: false, reason: 'word', detail: word };
  }

  /** Reloads the list if the file changed (one look at a time, shared by concurrent checks). */
  refresh(): Promise<void> {
    this.checking ??= this.reload().finally(() => {
      this.checking = null;
      this.nextCheck = this.now() + this.everyMs;
    });
    return this.checking;
  }

  async close(): Promise<void> {
    await this.checking;
  }

  private async reload(): Promise<void> {
    let seen: string | null = null;
    try {
      seen = signature(await stat(this.file));
      if (seen === this.sig || seen === this.badSig) return;
      const { list, sig } = await readList(this.file);
      this.list = list;
      this.sig = sig;
      this.badSig = null;
    } catch (err) {
      // told once per broken version of the file, not at every look
      if (seen !== null) this.badSig = seen;
      else if (this.badSig === 'missing') return;
      else this.badSig = 'missing';
      this.opts.onError?.(err);
    }
  }
}
