// "Run a model": choose an .onnx file -> review what predlens read from it (inputs, outputs, metadata, the
// layout it recognised, the pre- and post-processing it will use, the class map) -> run it in the model worker
// with progress, images per second and an ETA -> the run, opened on Model quality. One instance per panel.
import type { LayoutChoice } from '../../../core/inference/layout.ts';
import { defaultSettings, describeSettings, type InferenceSettings } from '../../../core/inference/settings.ts';
import type { PredictionRunInfo } from '../../../core/model.ts';
import type {
  InferenceClient,
  InspectedModel,
  ModelClassRow,
  ModelRunOutcome,
  ModelRunProgress,
  ImageSource,
} from '../../../workers/inference-client.ts';
import { isAbortError } from '../../../workers/abort.ts';

export type RunModelStep = 'choose' | 'inspecting' | 'review' | 'running' | 'done' | 'error';

export function defaultModelRunName(file: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${file} ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/** "0.485, 0.456, 0.406" -> three numbers, or undefined. */
export function parseTriple(text: string): [number, number, number] | undefined {
  const parts = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  return parts.length === 3 && parts.every(Number.isFinite) ? (parts as [number, number, number]) : undefined;
}

export class RunModelFlow {
  step = $state<RunModelStep>('choose');
  model = $state.raw<File | undefined>(undefined);
  inspected = $state.raw<InspectedModel | undefined>(undefined);
  settings = $state<InferenceSettings | undefined>(undefined);
  classes = $state.raw<{ rows: ModelClassRow[]; rule: string } | undefined>(undefined);
  /** The user's class choices: key -> featureNodeHash ('' = left out). Only edited rows. */
  targets = $state<Record<string, string>>({});
  name = $state('');
  progress = $state.raw<ModelRunProgress | undefined>(undefined);
  startedAt = $state(0);
  now = $state(0);
  outcome = $state.raw<ModelRunOutcome | undefined>(undefined);
  error = $state<string | undefined>(undefined);

  readonly #client: () => InferenceClient;
  readonly #images: () => ImageSource;
  readonly #onFinished: (info: PredictionRunInfo) => void;
  #abort?: AbortController;
  #ticker?: ReturnType<typeof setInterval>;
  #classCall = 0;

  constructor(client: () => InferenceClient, images: () => ImageSource, onFinished: (info: PredictionRunInfo) => void) {
    this.#client = client;
    this.#images = images;
    this.#onFinished = onFinished;
  }

  /** The pre- and post-processing in words, exactly as the run will do it (and record it). */
  get described(): Record<string, string | number | boolean> | undefined {
    return this.settings ? describeSettings(this.settings) : undefined;
  }

  /** Sizes are the model's own when it fixes them. */
  get fixedSize(): boolean {
    const input = this.inspected?.guess.input;
    return input?.width !== undefined && input?.height !== undefined;
  }

  get canStart(): boolean {
    return this.step === 'review' && !!this.settings && !this.inspected?.guess.error && this.name.trim() !== '';
  }

  /** Seconds left at the pace so far. */
  get secondsLeft(): number | undefined {
    const p = this.progress;
    if (!p || p.done === 0 || p.total === 0) return undefined;
    const elapsed = (this.now - this.startedAt) / 1000;
    return Math.max(0, (elapsed / p.done) * (p.total - p.done));
  }

  async choose(file: File | undefined) {
    if (!file) return;
    this.#reset();
    this.model = file;
    this.step = 'inspecting';
    try {
      if (!/\.onnx$/i.test(file.name)) throw new Error(`${file.name}: not an .onnx file; choose an ONNX model`);
      const inspected = await this.#client().inspect(file);
      if (this.model !== file) return;
      this.inspected = inspected;
      this.settings = defaultSettings(inspected.guess);
      this.name = defaultModelRunName(file.name);
      this.step = 'review';
      await this.refreshClasses();
    } catch (error) {
      this.#fail(error);
    }
  }

  setLayout(choice: LayoutChoice) {
    if (!this.settings || !this.inspected) return;
    const defaults = defaultSettings({ ...this.inspected.guess, choice });
    this.settings.layoutChoice = choice;
    this.settings.nms = defaults.nms;
    this.settings.multiLabel = defaults.multiLabel;
  }

  setTarget(key: string, hash: string) {
    this.targets = { ...this.targets, [key]: hash };
    void this.refreshClasses();
  }

  async refreshClasses() {
    const model = this.model;
    if (!model) return;
    const call = ++this.#classCall;
    try {
      const classes = await this.#client().classes(
        model,
        Object.keys(this.targets).length ? { ...this.targets } : undefined,
      );
      if (call === this.#classCall) this.classes = classes;
    } catch (error) {
      if (call === this.#classCall) this.#fail(error);
    }
  }

  async start() {
    if (!this.canStart || !this.model || !this.settings) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.step = 'running';
    this.progress = undefined;
    this.startedAt = this.now = performance.now();
    this.#ticker = setInterval(() => (this.now = performance.now()), 500);
    try {
      const outcome = await this.#client().run(
        {
          model: this.model,
          settings: $state.snapshot(this.settings),
          classMap: Object.keys(this.targets).length ? { ...this.targets } : undefined,
          name: this.name.trim(),
        },
        this.#images(),
        (p) => {
          if (abort.signal.aborted) return;
          if (this.progress === undefined) this.startedAt = performance.now();
          this.progress = p;
          this.now = performance.now();
        },
        abort.signal,
      );
      this.outcome = outcome;
      this.step = 'done';
      this.#onFinished(outcome.info);
    } catch (error) {
      if (isAbortError(error) || abort.signal.aborted) {
        this.step = 'review';
        return;
      }
      this.#fail(error);
    } finally {
      clearInterval(this.#ticker);
      this.#abort = undefined;
    }
  }

  /** Stops the run: the worker is terminated and nothing of the run is kept. */
  cancel() {
    this.#abort?.abort(new DOMException('Model run cancelled', 'AbortError'));
  }

  restart() {
    this.cancel();
    this.#reset();
    this.step = 'choose';
  }

  #reset() {
    this.#classCall++;
    this.model = undefined;
    this.inspected = undefined;
    this.settings = undefined;
    this.classes = undefined;
    this.targets = {};
    this.name = '';
    this.progress = undefined;
    this.outcome = undefined;
    this.error = undefined;
  }

  #fail(error: unknown) {
    this.error = error instanceof Error ? error.message : String(error);
    this.step = 'error';
  }
}
