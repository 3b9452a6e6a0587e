// A small XML reader for Pascal VOC annotation files (no DOM in workers or Node): elements, text, comments,
// CDATA, processing instructions, a doctype, and the five predefined entities plus numeric references.
// Attributes are read but VOC does not use them. Errors name the line.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (between its child elements), concatenated. */
  text: string;
  line: number;
}

export class XmlError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = 'XmlError';
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string, line: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);?/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    const named = ENTITIES[ref];
    if (named === undefined) throw new XmlError(`unknown entity ${whole}`, line);
    return named;
  });
}

/** Parses a document and returns its root element. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  let line = 1;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  const expectEnd = (marker: string, what: string) => {
    const end = text.indexOf(marker, i);
    if (end < 0) throw new XmlError(`${what} is not closed`, line);
    return end;
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? text.length : lt;
    if (textEnd > i) {
      const chunk = text.slice(i, textEnd);
      if (stack.length > 0) stack[stack.length - 1].text += decodeEntities(chunk, line);
      else if (chunk.trim() !== '') throw new XmlError('text outside the root element', line);
      advance(textEnd);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', i)) advance(expectEnd('-->', 'a comment') + 3);
    else if (text.startsWith('<![CDATA[', i)) {
      const end = expectEnd(']]>', 'a CDATA section');
      if (stack.length > 0) stack[stack.length - 1].text += text.slice(i + 9, end);
      advance(end + 3);
    } else if (text.startsWith('<?', i)) advance(expectEnd('?>', 'a processing instruction') + 2);
    else if (text.startsWith('<!', i)) advance(expectEnd('>', 'a declaration') + 1);
    else if (text.startsWith('</', i)) {
      const end = expectEnd('>', 'a closing tag');
      const name = text.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open) throw new XmlError(`</${name}> closes nothing`, line);
      if (open.name !== name)
        throw new XmlError(`</${name}> closes <${open.name}> (opened on line ${open.line})`, line);
      advance(end + 1);
    } else {
      const end = expectEnd('>', 'a tag');
      let body = text.slice(i + 1, end);
      const selfClosing = body.endsWith('/');
      if (selfClosing) body = body.slice(0, -1);
      const m = /^([^\s/>]+)\s*([\s\S]*)$/.exec(body);
      if (!m) throw new XmlError('an empty tag', line);
      const element: XmlElement = { name: m[1], attributes: {}, children: [], text: '', line };
      for (const a of m[2].matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        element.attributes[a[1]] = decodeEntities(a[3] ?? a[4] ?? '', line);
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(element);
      else if (root) throw new XmlError(`a second root element <${element.name}>`, line);
      else root = element;
      if (!selfClosing) stack.push(element);
      advance(end + 1);
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new XmlError(`<${open.name}> (line ${open.line}) is not closed`, line);
  }
  if (!root) throw new XmlError('no root element', line);
  return root;
}

/** The first direct child named `name`. */
export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

/** The trimmed text of the first direct child named `name`. */
export function childText(element: XmlElement, name: string): string | undefined {
  const c = child(element, name);
  return c === undefined ? undefined : c.text.trim();
}
