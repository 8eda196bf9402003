// The word list itself, without I/O: parsing a list file and finding a listed word in a text. Both sides are
// normalized alike (NFKC, lower case, spaces and punctuation removed), so "Ｓ Ｐ-Ａ-Ｍ" still matches "spam".

/** A list file larger than this is refused (a typo'd path must not load a video into memory). */
export const MAX_LIST_BYTES = 1024 * 1024;
export const MAX_WORDS = 50_000;
/** longer lines are ignored: a word that long is not a word */
export const MAX_WORD_CHARS = 64;

const NOISE = /[\s\p{P}\p{S}\p{Cc}\p{Cf}]/gu;

export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(NOISE, '');
}

export class WordList {
  /** words grouped by length, so a text is scanned once per distinct length, not once per word */
  private readonly byLength = new Map<number, Set<string>>();
  readonly size: number;

  constructor(words: Iterable<string>) {
    let size = 0;
    for (const raw of words) {
      const word = normalize(raw);
      if (!word || [...word].length > MAX_WORD_CHARS) continue;
      let set = this.byLength.get(word.length);
      if (!set) this.byLength.set(word.length, (set = new Set()));
      if (!set.has(word)) {
        set.add(word);
        if (++size >= MAX_WORDS) break;
      }
    }
    this.size = size;
  }

  /** One word per line; `#` starts a comment line; blank lines are skipped. */
  static parse(text: string): WordList {
    return new WordList(text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
  }

  /** The first listed word found in `text`, or null. */
  find(text: string): string | null {
    const t = normalize(text);
    for (const [len, set] of this.byLength) {
      for (let i = 0; i + len <= t.length; i++) {
        const piece = t.slice(i, i + len);
        if (set.has(piece)) return piece;
      }
    }
    return null;
  }
}
