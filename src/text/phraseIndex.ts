/**
 * Word tokens and a phrase index: finds, case-insensitively and on word boundaries, which of many
 * phrases occur in a text, in time proportional to the text's length (times the longest phrase's
 * word count), not to the number of phrases.
 *
 * A token is a maximal run of Unicode letters and digits, so "O'Brien" is the two tokens "o" and
 * "brien" and a phrase matches when its tokens appear consecutively in the text, whatever the
 * punctuation or spacing between them ("Zebulon  Quackenbush", "zebulon-quackenbush"). A phrase
 * never matches inside a longer word ("Annabelle" does not contain the phrase "Anna").
 */

export interface Token {
  /** Lower-cased token text. */
  norm: string;
  /** Offsets in the original string (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The word tokens of a string, lower-cased, with their offsets in the original. O(length). */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) out.push({ norm: m[0].toLowerCase(), start: m.index!, end: m.index! + m[0].length });
  return out;
}

/** The lower-cased tokens of a string, without offsets. */
export function tokenStrings(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) out.push(m[0].toLowerCase());
  return out;
}

export interface PhraseMatch<T> {
  /** Offsets of the matched span in the scanned text. */
  start: number;
  end: number;
  /** What was attached to the phrase when it was added. */
  tag: T;
  /** Number of tokens in the phrase. */
  length: number;
}

/**
 * Phrases in a word trie. `add` is O(phrase tokens); `scan` is O(text tokens × longest phrase),
 * independent of how many phrases there are.
 */
interface Node<T> {
  next?: Map<string, Node<T>>;
  tag?: T;
  has: boolean;
}

export class PhraseIndex<T> {
  private root: Node<T> = { has: false };
  private count = 0;

  /** Adds a phrase given as text (tokenised here). Returns false when it has no tokens or was already present. */
  add(phrase: string, tag: T): boolean {
    return this.addTokens(tokenStrings(phrase), tag);
  }

  addTokens(tokens: readonly string[], tag: T): boolean {
    if (!tokens.length) return false;
    let node = this.root;
    for (const t of tokens) {
      if (!node.next) node.next = new Map();
      let child = node.next.get(t);
      if (!child) node.next.set(t, (child = { has: false }));
      node = child;
    }
    if (node.has) return false;
    node.has = true;
    node.tag = tag;
    this.count++;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Every occurrence of every phrase in the tokens: at each position the longest phrase that
   * `skip(firstToken, phraseLength, tag)` does not veto (e.g. words the prompt itself supplied).
   * A match lying inside an earlier one is dropped ("quackenbush" inside "zebulon quackenbush");
   * partial overlaps are kept.
   */
  scan(tokens: readonly Token[], skip?: (first: Token, length: number, tag: T) => boolean): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    if (!this.count) return out;
    let coveredUntil = -1;
    for (let i = 0; i < tokens.length; i++) {
      let node: Node<T> | undefined = this.root;
      let best: PhraseMatch<T> | undefined;
      for (let j = i; j < tokens.length; j++) {
        node = node.next?.get(tokens[j]!.norm);
        if (!node) break;
        if (node.has && !(skip && skip(tokens[i]!, j - i + 1, node.tag as T))) {
          best = { start: tokens[i]!.start, end: tokens[j]!.end, tag: node.tag as T, length: j - i + 1 };
        }
      }
      if (best && best.end > coveredUntil) {
        out.push(best);
        coveredUntil = best.end;
      }
    }
    return out;
  }

  clear(): void {
    this.root = { has: false };
    this.count = 0;
  }
}
