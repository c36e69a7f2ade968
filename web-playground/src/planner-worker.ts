// The planner's Web Worker: the WebAssembly planner runs here, so that planning a 500-model
// schema (about 100 ms of wasm) never blocks typing on the page. It answers one message at a
// time, in order; the page (planner-client.ts) keeps at most one request in flight.

import { init } from 'comon-migrate';
import { planMigration, type PlanOutcome, type PlanRequest } from './planning';

export interface PlanMessage {
  id: number;
  request: PlanRequest;
}

export type PlanReply =
  | { id: number; ok: true; outcome: PlanOutcome; milliseconds: number }
  | { id: number; ok: false; message: string };

const ready = init();

self.addEventListener('message', (event: MessageEvent<PlanMessage>) => {
  const { id, request } = event.data;
  void ready.then(
    () => {
      const started = performance.now();
      let reply: PlanReply;
      try {
        const outcome = planMigration(request);
        reply = { id, ok: true, outcome, milliseconds: performance.now() - started };
      } catch (error) {
        reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      self.postMessage(reply);
    },
    (error: unknown) => self.postMessage({ id, ok: false, message: `The planner did not load: ${String(error)}` } satisfies PlanReply),
  );
});
