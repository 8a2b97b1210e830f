import { parentPort, workerData } from 'node:worker_threads';
import { ImportError } from '../import-contract';
import { ProviderBatchRenderer, ProviderBatchSetup, ProviderBatchTask, transferablesOf } from './provider-batches';

/** Worker thread entry (see ProviderWorkerPool): renders the provider batches it is sent, in order. */
const renderer = new ProviderBatchRenderer(workerData as ProviderBatchSetup);

parentPort!.postMessage({ ready: true });

parentPort!.on('message', (task: ProviderBatchTask) => {
  try {
    const result = renderer.render(task);
    parentPort!.postMessage({ ok: true, result }, transferablesOf(result));
  } catch (error) {
    const failure = error as Partial<ImportError>;
    parentPort!.postMessage({ ok: false, code: failure.code, message: failure.message ?? String(error), file: failure.file });
  }
});
