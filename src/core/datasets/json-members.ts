// Reads a JSON object document in text pieces without holding it whole: the top-level members named as streamed
// (arrays) are handed over in batches of their elements' text as they are read, every other member's text is kept
// and parsed at the end. A COCO train2017 annotation file is 450 MB: held as one string, parsed as one value and
// held again as objects, it needs about three times that at once; read this way, one batch at a time.
// The splitter only finds boundaries (strings, escapes and nesting are followed exactly); JSON.parse reads the
// values. A document it cannot split throws JsonSplitError, and the caller parses the whole text instead, which
// names the line and column of what is wrong.

export class JsonSplitError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'JsonSplitError';
  }
}

type State = 'start' | 'key' | 'keystr' | 'colon' | 'value' | 'raw' | 'elements' | 'elem' | 'after' | 'done';

const BRACKETS = /["[\]{}]/g;

const WS = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

export class JsonMembers {
  readonly #streamed: ReadonlySet<string>;
  readonly #onBatch: (key: string, elements: string[]) => void;
  readonly #batchChars: number;
  /** Raw text of the members parsed at the end. */
  readonly #members = new Map<string, string>();
  #text = '';
  #pos = 0;
  #state: State = 'start';
  #depth = 0;
  #inString = false;
  #escape = false;
  #key = '';
  #keyStart = -1;
  #valueStart = -1;
  #elemStart = -1;
  #batch: string[] = [];
  #batchSize = 0;
  readonly #seen = new Set<string>();

  constructor(streamed: Iterable<string>, onBatch: (key: string, elements: string[]) => void, batchChars = 1 << 23) {
    this.#streamed = new Set(streamed);
    this.#onBatch = onBatch;
    this.#batchChars = batchChars;
  }

  push(chunk: string): void {
    const text = this.#text + chunk;
    let pos = this.#pos;
    let depth = this.#depth;
    let inString = this.#inString;
    let escape = this.#escape;
    let state = this.#state;
    const n = text.length;
    for (; pos < n; pos++) {
      const c = text.charCodeAt(pos);
      if (inString) {
        if (escape) escape = false;
        else if (c === 92) escape = true;
        else if (c === 34) {
          inString = false;
          if (state === 'keystr') {
            this.#key = JSON.parse(text.slice(this.#keyStart, pos + 1)) as string;
            state = 'colon';
          }
        }
        continue;
      }
      switch (state) {
        case 'start':
          if (WS(c) || c === 0xfeff) continue;
          if (c !== 123) throw new JsonSplitError('the document is not a JSON object');
          depth = 1;
          state = 'key';
          continue;
        case 'key':
          if (WS(c)) continue;
          if (c === 125) {
            depth = 0;
            state = 'done';
            continue;
          }
          if (c !== 34) throw new JsonSplitError(`a member name was expected at ${pos}`);
          this.#keyStart = pos;
          inString = true;
          state = 'keystr';
          continue;
        case 'colon':
          if (WS(c)) continue;
          if (c !== 58) throw new JsonSplitError(`":" was expected at ${pos}`);
          state = 'value';
          continue;
        case 'value':
          if (WS(c)) continue;
          if (this.#streamed.has(this.#key)) {
            // JSON keeps the last of repeated members; a whole-text parse says what that means here.
            if (this.#seen.has(this.#key)) throw new JsonSplitError(`"${this.#key}" is repeated`);
            this.#seen.add(this.#key);
          }
          if (c === 91 && this.#streamed.has(this.#key)) {
            depth = 2;
            state = 'elements';
            continue;
          }
          this.#valueStart = pos;
          state = 'raw';
          pos--; // the first character belongs to the value
          continue;
        case 'raw':
          if (depth === 1 && (c === 44 || c === 125 || WS(c)) && pos > this.#valueStart) {
            this.#members.set(this.#key, text.slice(this.#valueStart, pos));
            state = 'after';
            pos--;
            continue;
          }
          if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth++;
          else if (c === 125 || c === 93) {
            if (--depth < 1) throw new JsonSplitError(`an unmatched bracket at ${pos}`);
          }
          continue;
        case 'elements':
          if (WS(c) || c === 44) continue;
          if (c === 93) {
            depth = 1;
            this.#flush();
            state = 'after';
            continue;
          }
          this.#elemStart = pos;
          state = 'elem';
          pos--;
          continue;
        case 'elem': {
          // The hot loop (almost all of a COCO file is the numbers of its records): only brackets, quotes and the
          // end of the element matter.
          let end = -1;
          for (; pos < n; pos++) {
            if (depth > 2) {
              // Inside a record only brackets and quotes matter: jump to the next one (a polygon's numbers at once).
              BRACKETS.lastIndex = pos;
              if (!BRACKETS.test(text)) {
                pos = n;
                break;
              }
              pos = BRACKETS.lastIndex - 1;
            }
            const d = text.charCodeAt(pos);
            if (d === 34) {
              inString = true;
              break;
            }
            if (d === 123 || d === 91) depth++;
            else if (d === 125 || d === 93) {
              if (depth === 2) {
                end = pos; // a scalar element closed by the array's "]"
                break;
              }
              depth--;
            } else if (depth === 2 && (d === 44 || WS(d))) {
              end = pos;
              break;
            }
          }
          if (end >= 0) {
            const element = text.slice(this.#elemStart, end);
            this.#batch.push(element);
            this.#batchSize += element.length;
            if (this.#batchSize >= this.#batchChars) this.#flush();
            state = 'elements';
            pos = end - 1; // the "," or "]" is read again in state 'elements'
          } else if (pos === n) pos = n - 1;
          continue;
        }
        case 'after':
          if (WS(c)) continue;
          if (c === 44) state = 'key';
          else if (c === 125) {
            depth = 0;
            state = 'done';
          } else throw new JsonSplitError(`"," or "}" was expected at ${pos}`);
          continue;
        case 'done':
          if (WS(c)) continue;
          throw new JsonSplitError(`text after the document at ${pos}`);
      }
    }
    // Keep only what a later piece completes: the value, element or name being read.
    const keep =
      state === 'raw'
        ? this.#valueStart
        : state === 'elem'
          ? this.#elemStart
          : state === 'keystr'
            ? this.#keyStart
            : pos;
    this.#text = text.slice(keep);
    this.#pos = pos - keep;
    if (state === 'raw') this.#valueStart -= keep;
    if (state === 'elem') this.#elemStart -= keep;
    if (state === 'keystr') this.#keyStart -= keep;
    this.#depth = depth;
    this.#inString = inString;
    this.#escape = escape;
    this.#state = state;
  }

  /** Whether a streamed member was in the document (an empty array gives no batch). */
  had(key: string): boolean {
    return this.#seen.has(key);
  }

  /** The other members, parsed, once the whole document was pushed. */
  end(): Map<string, unknown> {
    if (this.#state !== 'done') throw new JsonSplitError('the document ends before its closing "}"');
    const out = new Map<string, unknown>();
    for (const [key, text] of this.#members) out.set(key, JSON.parse(text));
    return out;
  }

  #flush() {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    this.#batchSize = 0;
    this.#onBatch(this.#key, batch);
  }
}
