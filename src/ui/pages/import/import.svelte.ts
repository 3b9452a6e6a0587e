// The "Import predictions" flow: choose files -> review (format, class map, file matching, name) -> import (in
// the worker, with progress and cancel) -> report. One instance per Predictions page.
import type { Detection } from '../../../core/formats/index.ts';
import type { FormatId, PredictionRunInfo } from '../../../core/model.ts';
import { isAbortError } from '../../../workers/abort.ts';
import type {
  ImportClient,
  ImportProgressEvent,
  ImportRunOutcome,
  MappingInfo,
} from '../../../workers/import-client.ts';
import type { ChosenSource } from './sources.ts';
import type { FormatChoice } from '../../../core/formats/registry.ts';
import type { FormatOption } from '../../../core/formats/format.ts';

export type ImportStep = 'choose' | 'inspecting' | 'review' | 'importing' | 'done' | 'error';

const SOURCE_NAME_MAX = 60;

/**
 * A run name that says what was imported and when, and is not taken yet: "COCO · results.json · 2024-05-01 14:03",
 * then "… (2)", "… (3)" for more imports of the same files in the same minute.
 */
export function defaultRunName(
  /** The format's short name (from the registry, e.g. "COCO"). */
  short: string,
  source: string,
  taken: Iterable<string> = [],
  now = new Date(),
): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  const trimmed = source.trim();
  const what = trimmed.length > SOURCE_NAME_MAX ? `${trimmed.slice(0, SOURCE_NAME_MAX - 1)}…` : trimmed;
  const base = [short, what, date].filter(Boolean).join(' · ');
  const names = new Set(taken);
  if (!names.has(base)) return base;
  let n = 2;
  while (names.has(`${base} (${n})`)) n++;
  return `${base} (${n})`;
}

const PATTERN_DELAY_MS = 250;

export class ImportFlow {
  step = $state<ImportStep>('choose');
  chosen = $state.raw<ChosenSource | undefined>(undefined);
  files = $state.raw<string[]>([]);
  detection = $state.raw<Detection | undefined>(undefined);
  formats = $state.raw<Pick<FormatChoice, 'id' | 'label' | 'short' | 'options'>[]>([]);
  format = $state<FormatId | undefined>(undefined);
  mapping = $state.raw<MappingInfo | undefined>(undefined);
  mappingBusy = $state(false);
  /** The user's class choices: file class key -> featureNodeHash ('' = not imported). Only edited rows. */
  targets = $state<Record<string, string>>({});
  namePattern = $state('');
  keepHoles = $state(false);
  ignoreValue = $state('');
  name = $state('');
  nameEdited = $state(false);
  model = $state('');
  progress = $state.raw<ImportProgressEvent | undefined>(undefined);
  stageStartedAt = $state(0);
  now = $state(0);
  outcome = $state.raw<ImportRunOutcome | undefined>(undefined);
  error = $state<string | undefined>(undefined);

  readonly #client: () => Promise<ImportClient>;
  readonly #onImported: (info: PredictionRunInfo) => void;
  #abort?: AbortController;
  #patternTimer?: ReturnType<typeof setTimeout>;
  #mappingCall = 0;
  #ticker?: ReturnType<typeof setInterval>;

  readonly #takenNames: () => string[];

  /** `takenNames`: the project's run names, so the proposed name is a new one. */
  constructor(
    client: () => Promise<ImportClient>,
    onImported: (info: PredictionRunInfo) => void,
    takenNames: () => string[] = () => [],
  ) {
    this.#client = client;
    this.#onImported = onImported;
    this.#takenNames = takenNames;
  }

  /** The class map to pass: every row with its effective target, only when the user changed something. */
  get classMap(): Record<string, string> | undefined {
    if (!this.mapping?.mapsClasses || Object.keys(this.targets).length === 0) return undefined;
    const map: Record<string, string> = {};
    for (const row of this.mapping.classes) {
      const target = this.targets[row.key] ?? row.target;
      if (target) map[row.key] = target;
    }
    return map;
  }

  targetOf(key: string): string {
    return this.targets[key] ?? this.mapping?.classes.find((r) => r.key === key)?.target ?? '';
  }

  setTarget(key: string, hash: string) {
    this.targets = { ...this.targets, [key]: hash };
  }

  /** Fraction of the current stage done, and seconds left at the pace so far. */
  get eta(): { fraction: number; secondsLeft?: number } {
    const p = this.progress;
    if (!p || !p.total) return { fraction: 0 };
    const fraction = Math.min(1, p.done / p.total);
    const elapsed = (this.now - this.stageStartedAt) / 1000;
    if (fraction <= 0.02 || elapsed < 0.5) return { fraction };
    return { fraction, secondsLeft: Math.max(0, (elapsed / fraction) * (1 - fraction)) };
  }

  async choose(chosen: ChosenSource | undefined) {
    if (!chosen) return;
    this.#reset();
    this.chosen = chosen;
    this.step = 'inspecting';
    try {
      const client = await this.#client();
      if (this.formats.length === 0) this.formats = await client.formats();
      const inspected = await client.inspect(chosen.source);
      if (this.chosen !== chosen) return;
      this.files = inspected.files;
      this.detection = inspected.detection;
      if (inspected.files.length === 0) throw new Error(`${chosen.label} holds no files.`);
      this.step = 'review';
      await this.setFormat(inspected.detection.format ?? this.formats[0].id);
    } catch (error) {
      this.#fail(error);
    }
  }

  /** The chosen format as the registry describes it. */
  get formatChoice() {
    return this.formats.find((f) => f.id === this.format);
  }

  /** True when the chosen format honours the option (the page shows its control). */
  takes(option: FormatOption): boolean {
    return this.formatChoice?.options?.includes(option) ?? false;
  }

  async setFormat(format: FormatId) {
    this.format = format;
    this.targets = {};
    if (!this.nameEdited) {
      const short = this.formatChoice?.short ?? this.formatChoice?.label ?? format;
      this.name = defaultRunName(short, this.chosen?.label ?? '', this.#takenNames());
    }
    await this.#loadMapping();
  }

  setNamePattern(pattern: string) {
    this.namePattern = pattern;
    clearTimeout(this.#patternTimer);
    this.#patternTimer = setTimeout(() => void this.#loadMapping(), PATTERN_DELAY_MS);
  }

  setIgnoreValue(value: string) {
    this.ignoreValue = value;
    clearTimeout(this.#patternTimer);
    this.#patternTimer = setTimeout(() => void this.#loadMapping(), PATTERN_DELAY_MS);
  }

  setName(name: string) {
    this.name = name;
    this.nameEdited = true;
  }

  async #loadMapping() {
    const chosen = this.chosen;
    const format = this.format;
    if (!chosen || !format) return;
    const call = ++this.#mappingCall;
    this.mappingBusy = true;
    try {
      const client = await this.#client();
      const ignore = this.ignoreValue.trim() === '' ? undefined : Number(this.ignoreValue);
      const mapping = await client.mapping(chosen.source, format, this.namePattern.trim() || undefined, ignore);
      if (call === this.#mappingCall) this.mapping = mapping;
    } catch (error) {
      if (call === this.#mappingCall) this.#fail(error);
    } finally {
      if (call === this.#mappingCall) this.mappingBusy = false;
    }
  }

  get canStart(): boolean {
    return (
      this.step === 'review' &&
      !!this.format &&
      this.name.trim() !== '' &&
      !this.mapping?.patternError &&
      !this.mappingBusy
    );
  }

  async start() {
    if (!this.canStart || !this.chosen || !this.format) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.step = 'importing';
    this.progress = undefined;
    this.stageStartedAt = this.now = performance.now();
    this.#ticker = setInterval(() => (this.now = performance.now()), 500);
    const ignore = this.ignoreValue.trim() === '' ? undefined : Number(this.ignoreValue);
    try {
      const client = await this.#client();
      abort.signal.throwIfAborted();
      const outcome = await client.importRun(
        {
          source: this.chosen.source,
          format: this.format,
          options: {
            classMap: this.classMap,
            namePattern: this.namePattern.trim() || undefined,
            keepHoles: this.takes('keepHoles') ? this.keepHoles : undefined,
            ignoreValue: this.takes('ignoreValue') ? ignore : undefined,
          },
          name: this.name.trim(),
          model: this.model.trim() || undefined,
        },
        (e) => {
          if (abort.signal.aborted) return;
          if (e.stage !== this.progress?.stage) this.stageStartedAt = performance.now();
          this.progress = e;
          this.now = performance.now();
        },
        abort.signal,
      );
      this.outcome = outcome;
      this.step = 'done';
      this.#onImported(outcome.info);
    } catch (error) {
      if (isAbortError(error) || abort.signal.aborted) {
        this.step = 'review';
        this.error = undefined;
        return;
      }
      this.#fail(error);
    } finally {
      clearInterval(this.#ticker);
      this.#abort = undefined;
    }
  }

  /** Stops the import: the worker is terminated and nothing of the run is kept. */
  cancel() {
    this.#abort?.abort(new DOMException('Import cancelled', 'AbortError'));
  }

  /** Back to choosing files. */
  restart() {
    this.cancel();
    this.#reset();
    this.step = 'choose';
  }

  #reset() {
    clearTimeout(this.#patternTimer);
    this.#mappingCall++;
    this.chosen = undefined;
    this.files = [];
    this.detection = undefined;
    this.format = undefined;
    this.mapping = undefined;
    this.mappingBusy = false;
    this.targets = {};
    this.namePattern = '';
    this.keepHoles = false;
    this.ignoreValue = '';
    this.name = '';
    this.nameEdited = false;
    this.model = '';
    this.progress = undefined;
    this.outcome = undefined;
    this.error = undefined;
  }

  #fail(error: unknown) {
    this.error = error instanceof Error ? error.message : String(error);
    this.step = 'error';
  }
}
