// Which data unit (and frame) a prediction file belongs to, decided from its path alone.
// One place owns this rule; the mask, YOLO and COCO readers and the UI's live preview all call it.
//
// Without a pattern, a file's stem (its name without the last extension) is tried in this order:
//   1. the stem is a data hash of the project (compared case-insensitively)           -> 'data_hash'
//   2. the stem is `<uuid>_<digits>`, EA's own frame-image naming (`images/<du>_<frame>.png`) -> 'data_hash_frame'
//   3. the stem is `<uuid>__<anything>`, EA's KITTI naming (the rest is an image name, not a frame) -> 'data_hash_prefix'
//   4. the stem, or the whole file name, equals a data title, with or without the title's extension -> 'title'
//   5. the stem is `<title>__<digits>`, Encord Active 0.1.84's naming with a frame        -> 'title_frame'
// A title that several data units share is never guessed: the file is refused as ambiguous.
//
// With a pattern (options.namePattern), only the pattern decides. Two syntaxes:
//   - a regular expression with named groups, recognised by `(?<` or Python's `(?P<`:
//       (?<dataHash>[0-9a-f-]{36})__(?<frame>\d+)\.png
//     groups: dataHash (also data_hash, du_hash), title (also data_title, stem), frame.
//   - a simple pattern with placeholders {dataHash} {title} {frame}, `*` (any characters but '/'),
//     `**` (any characters) and `?` (one character but '/'); everything else is literal:
//       {dataHash}__{frame}.png      masks/{title}.png      {title}_mask.png
// Either way the pattern must match the whole file name, or the whole path (relative to the folder that was
// imported) when the pattern contains a '/'. A pattern needs a dataHash or a title group.
//
// The frame: a frame from the name is used for videos. Images and image-group members have exactly one frame
// (their place in the group, as EA stores it), so a frame in their name must equal it; another value is refused.

import type { DataUnit, Project } from '../model.ts';

export type MatchRule = 'pattern' | 'data_hash' | 'data_hash_frame' | 'data_hash_prefix' | 'title' | 'title_frame';

export interface DataUnitMatch {
  ok: true;
  dataUnit: DataUnit;
  frame: number;
  rule: MatchRule;
}

export interface MatchFailure {
  ok: false;
  /** 'no_match' | 'unknown_data_hash' | 'unknown_title' | 'ambiguous_title' | 'bad_frame' */
  code: string;
  reason: string;
}

export type MatchOutcome = DataUnitMatch | MatchFailure;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const UUID_FRAME = new RegExp(`^(${UUID})_(\\d+)$`);
const UUID_PREFIX = new RegExp(`^(${UUID})__`);
const TITLE_FRAME = /^(.+)__(\d+)$/;

const GROUP_ALIASES: Record<string, 'dataHash' | 'title' | 'frame'> = {
  dataHash: 'dataHash',
  data_hash: 'dataHash',
  du_hash: 'dataHash',
  title: 'title',
  data_title: 'title',
  stem: 'title',
  frame: 'frame',
};

/** A compiled name pattern: what it captures and whether it is matched against the whole path. */
export interface NamePattern {
  source: string;
  regex: RegExp;
  onPath: boolean;
}

export class NamePatternError extends Error {}

/** Compiles options.namePattern (either syntax above); throws NamePatternError with a readable reason. */
export function compileNamePattern(pattern: string): NamePattern {
  const isRegex = pattern.includes('(?<') || pattern.includes('(?P<');
  let body: string;
  if (isRegex) {
    body = pattern.replace(/\(\?P</g, '(?<');
    if (body.startsWith('^')) body = body.slice(1);
    if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  } else {
    body = globToRegex(pattern);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${body})$`);
  } catch (e) {
    throw new NamePatternError(
      `name pattern ${JSON.stringify(pattern)} is not a valid pattern: ${(e as Error).message}`,
    );
  }
  const groups = [...body.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
  const unknown = groups.filter((g) => !(g in GROUP_ALIASES));
  if (unknown.length > 0) {
    throw new NamePatternError(
      `name pattern ${JSON.stringify(pattern)} has unknown group(s) ${unknown.join(', ')}; use dataHash, title, frame`,
    );
  }
  if (!groups.some((g) => GROUP_ALIASES[g] === 'dataHash' || GROUP_ALIASES[g] === 'title')) {
    throw new NamePatternError(`name pattern ${JSON.stringify(pattern)} needs a dataHash or a title group/placeholder`);
  }
  return { source: pattern, regex, onPath: pattern.replace(/\\\//g, '/').includes('/') };
}

function globToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length;) {
    const rest = pattern.slice(i);
    const placeholder = /^\{(dataHash|title|frame)\}/.exec(rest);
    if (placeholder) {
      const name = placeholder[1];
      out += name === 'dataHash' ? `(?<dataHash>${UUID})` : name === 'frame' ? '(?<frame>\\d+)' : '(?<title>[^/]+?)';
      i += placeholder[0].length;
    } else if (rest.startsWith('**')) {
      out += '.*';
      i += 2;
    } else if (rest[0] === '*') {
      out += '[^/]*';
      i += 1;
    } else if (rest[0] === '?') {
      out += '[^/]';
      i += 1;
    } else {
      out += rest[0].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    }
  }
  return out;
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

/** The file name without its last extension ('a.png.txt' -> 'a.png'); a leading dot is not an extension. */
export function fileStem(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function withoutExtension(title: string): string {
  const dot = title.lastIndexOf('.');
  return dot > 0 ? title.slice(0, dot) : title;
}

/** The frame a prediction on this unit gets when its file names none: 0 for videos, else the unit's own frame. */
export function defaultFrame(du: DataUnit): number {
  return du.dataType === 'video' ? 0 : du.sequence;
}

/** Matches file paths to data units of one project; build once per import (it indexes the titles). */
export class DataUnitMatcher {
  readonly #project: Project;
  readonly #pattern: NamePattern | undefined;
  /** exact title and title-without-extension -> units; lower-cased variants in #titlesFolded. */
  readonly #titles = new Map<string, DataUnit[]>();
  readonly #titlesFolded = new Map<string, DataUnit[]>();

  /** Throws NamePatternError when the pattern is not usable. */
  constructor(project: Project, namePattern?: string) {
    this.#project = project;
    this.#pattern = namePattern ? compileNamePattern(namePattern) : undefined;
    for (const du of project.dataUnits) {
      const keys = new Set([du.title, withoutExtension(du.title)]);
      for (const key of keys) {
        push(this.#titles, key, du);
        push(this.#titlesFolded, key.toLowerCase(), du);
      }
    }
  }

  get pattern(): NamePattern | undefined {
    return this.#pattern;
  }

  /** Which data unit and frame `path` (relative to the imported folder) is for, or why none. */
  match(path: string): MatchOutcome {
    return this.#pattern ? this.#matchPattern(path, this.#pattern) : this.#matchDefault(path);
  }

  /** The data unit whose hash is `hash` (any case), if the project has it. */
  byHash(hash: string): DataUnit | undefined {
    return this.#project.byDataHash.get(hash.toLowerCase());
  }

  /** The one data unit with this title (exact, then ignoring case; with or without extension). */
  byTitle(title: string): { unit?: DataUnit; candidates: DataUnit[] } {
    const exact = unique(this.#titles.get(title) ?? []);
    if (exact.length > 0) return { unit: exact.length === 1 ? exact[0] : undefined, candidates: exact };
    const folded = unique(this.#titlesFolded.get(title.toLowerCase()) ?? []);
    return { unit: folded.length === 1 ? folded[0] : undefined, candidates: folded };
  }

  #matchDefault(path: string): MatchOutcome {
    const name = baseName(path);
    const stem = fileStem(path);
    const direct = this.byHash(stem);
    if (direct) return this.#withFrame(direct, undefined, 'data_hash');
    const framed = UUID_FRAME.exec(stem);
    if (framed) {
      const du = this.byHash(framed[1]);
      if (du) return this.#withFrame(du, Number(framed[2]), 'data_hash_frame');
    }
    const prefixed = UUID_PREFIX.exec(stem);
    if (prefixed) {
      const du = this.byHash(prefixed[1]);
      if (du) return this.#withFrame(du, undefined, 'data_hash_prefix');
    }
    for (const candidate of stem === name ? [stem] : [stem, name]) {
      const titled = this.byTitle(candidate);
      if (titled.unit) return this.#withFrame(titled.unit, undefined, 'title');
      if (titled.candidates.length > 1) return ambiguous(candidate, titled.candidates);
    }
    const titleFrame = TITLE_FRAME.exec(stem);
    if (titleFrame) {
      const titled = this.byTitle(titleFrame[1]);
      if (titled.unit) return this.#withFrame(titled.unit, Number(titleFrame[2]), 'title_frame');
      if (titled.candidates.length > 1) return ambiguous(titleFrame[1], titled.candidates);
    }
    const hashLike = new RegExp(`^${UUID}`).exec(stem);
    if (hashLike) {
      return {
        ok: false,
        code: 'unknown_data_hash',
        reason: `data hash ${hashLike[0]} (from the file name) is not a data unit of the project`,
      };
    }
    return {
      ok: false,
      code: 'no_match',
      reason: `file name ${JSON.stringify(name)} is neither a data hash nor a data title of the project`,
    };
  }

  #matchPattern(path: string, pattern: NamePattern): MatchOutcome {
    const subject = pattern.onPath ? path : baseName(path);
    const m = pattern.regex.exec(subject);
    if (!m) {
      return {
        ok: false,
        code: 'no_match',
        reason: `${pattern.onPath ? 'path' : 'file name'} ${JSON.stringify(subject)} does not match the name pattern ${JSON.stringify(pattern.source)}`,
      };
    }
    const captured: { dataHash?: string; title?: string; frame?: string } = {};
    for (const [group, value] of Object.entries(m.groups ?? {})) {
      if (value !== undefined) captured[GROUP_ALIASES[group]] = value;
    }
    const frame = captured.frame === undefined ? undefined : Number(captured.frame);
    if (frame !== undefined && !(Number.isInteger(frame) && frame >= 0)) {
      return { ok: false, code: 'bad_frame', reason: `frame ${JSON.stringify(captured.frame)} is not a whole number` };
    }
    if (captured.dataHash !== undefined) {
      const du = this.byHash(captured.dataHash);
      if (!du) {
        return {
          ok: false,
          code: 'unknown_data_hash',
          reason: `data hash ${captured.dataHash} (from the file name) is not a data unit of the project`,
        };
      }
      return this.#withFrame(du, frame, 'pattern');
    }
    const title = captured.title ?? '';
    const titled = this.byTitle(title);
    if (titled.unit) return this.#withFrame(titled.unit, frame, 'pattern');
    if (titled.candidates.length > 1) return ambiguous(title, titled.candidates);
    return { ok: false, code: 'unknown_title', reason: `no data unit is titled ${JSON.stringify(title)}` };
  }

  #withFrame(du: DataUnit, frame: number | undefined, rule: MatchRule): MatchOutcome {
    if (frame === undefined) return { ok: true, dataUnit: du, frame: defaultFrame(du), rule };
    if (du.dataType !== 'video' && frame !== du.sequence) {
      return {
        ok: false,
        code: 'bad_frame',
        reason: `frame ${frame} in the file name, but data unit ${du.dataHash} (${du.title}) is an image at frame ${du.sequence}`,
      };
    }
    return { ok: true, dataUnit: du, frame, rule };
  }
}

function push(map: Map<string, DataUnit[]>, key: string, du: DataUnit) {
  const list = map.get(key);
  if (list) list.push(du);
  else map.set(key, [du]);
}

function unique(units: DataUnit[]): DataUnit[] {
  return [...new Set(units)];
}

function ambiguous(title: string, candidates: DataUnit[]): MatchFailure {
  const hashes = candidates.map((du) => du.dataHash);
  return {
    ok: false,
    code: 'ambiguous_title',
    reason: `title ${JSON.stringify(title)} belongs to ${candidates.length} data units (${hashes.slice(0, 5).join(', ')}${hashes.length > 5 ? ', ...' : ''}); name the file by data hash or give a name pattern`,
  };
}

/** One row of a matching preview: which data unit a file goes to, or why it goes nowhere. */
export interface MatchPreview {
  path: string;
  dataHash?: string;
  title?: string;
  frame?: number;
  rule?: MatchRule;
  code?: string;
  reason?: string;
}

/** Matches every path (for the UI's live preview as the user edits a pattern); a bad pattern throws NamePatternError. */
export function previewMatches(project: Project, paths: string[], namePattern?: string): MatchPreview[] {
  const matcher = new DataUnitMatcher(project, namePattern);
  return paths.map((path) => {
    const m = matcher.match(path);
    return m.ok
      ? { path, dataHash: m.dataUnit.dataHash, title: m.dataUnit.title, frame: m.frame, rule: m.rule }
      : { path, code: m.code, reason: m.reason };
  });
}
