// The CLI's inference host: onnxruntime-node's CPU session behind the core's InferenceHost (loaded on first use,
// so other commands never load the native library).
import type { OutputTensor } from '../core/inference/decode.ts';
import type { InferenceHost } from '../core/inference/predict.ts';

export interface NodeHost extends InferenceHost {
  /** onnxruntime-node's version, for the run's settings. */
  runtime: string;
  release(): Promise<void>;
}

/** onnxruntime-node, or an error saying how to get it (it is an optional dependency: see the README). */
async function loadOrtNode(): Promise<typeof import('onnxruntime-node')> {
  try {
    return await import('onnxruntime-node');
  } catch (error) {
    throw new Error(
      'onnxruntime-node is not installed (it is optional: an npm without the allowScripts setting runs its install ' +
        'script, which downloads from outside the registry, fails, and npm then leaves the package out). ' +
        'Install it with: npm install --no-save --ignore-scripts onnxruntime-node@1.30.0',
      { cause: error },
    );
  }
}

export async function nodeInferenceHost(bytes: Uint8Array, file: string, threads?: number): Promise<NodeHost> {
  const ort = await loadOrtNode();
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      ...(threads ? { intraOpNumThreads: threads } : {}),
    });
  } catch (error) {
    throw new Error(
      `${file}: onnxruntime could not load the model (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }
  return {
    runtime: `onnxruntime-node ${ort.env.versions.node ?? ort.env.versions.common}`,
    async run(input) {
      const feeds = { [input.name]: new ort.Tensor(input.type, input.data, input.dims) };
      const results = await session.run(feeds);
      const out: Record<string, OutputTensor> = {};
      for (const [name, t] of Object.entries(results)) {
        out[name] = { dims: t.dims, data: t.data as OutputTensor['data'], type: t.type };
      }
      return out;
    },
    release: () => session.release(),
  };
}
