// The page's side of the planner worker: `plan(request)` resolves with the outcome of the latest
// request only. While one plan runs, newer requests replace each other, and only the newest is
// sent when the worker is free, so a burst of keystrokes costs at most two plans, never a queue.

import type { PlanMessage, PlanReply } from './planner-worker';
import type { PlanOutcome, PlanRequest } from './planning';

export interface PlannedOutcome {
  outcome: PlanOutcome;
  /** Time spent planning in the worker. */
  milliseconds: number;
}

export class PlannerClient {
  private readonly worker = new Worker(new URL('./planner-worker.ts', import.meta.url), { type: 'module', name: 'comon-planner' });
  private nextId = 1;
  private inFlight: { id: number; resolve: (value: PlannedOutcome | null) => void; reject: (error: Error) => void } | null = null;
  private waiting: { request: PlanRequest; resolve: (value: PlannedOutcome | null) => void; reject: (error: Error) => void } | null = null;

  constructor() {
    this.worker.addEventListener('message', (event: MessageEvent<PlanReply>) => this.receive(event.data));
    this.worker.addEventListener('error', (event) => {
      const error = new Error(`The planner worker failed: ${event.message}`);
      this.inFlight?.reject(error);
      this.inFlight = null;
    });
  }

  /**
   * Plans `request`. Resolves with its outcome, or with null when a newer request replaced it
   * before it was sent (the caller then has nothing to draw for it).
   */
  plan(request: PlanRequest): Promise<PlannedOutcome | null> {
    return new Promise((resolve, reject) => {
      this.waiting?.resolve(null);
      this.waiting = { request, resolve, reject };
      if (!this.inFlight) this.sendWaiting();
    });
  }

  /** Whether a plan is running or waiting. */
  get busy(): boolean {
    return this.inFlight !== null || this.waiting !== null;
  }

  private sendWaiting(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    const id = this.nextId++;
    this.inFlight = { id, resolve: waiting.resolve, reject: waiting.reject };
    this.worker.postMessage({ id, request: waiting.request } satisfies PlanMessage);
  }

  private receive(reply: PlanReply): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.id !== reply.id) return;
    this.inFlight = null;
    if (reply.ok) inFlight.resolve({ outcome: reply.outcome, milliseconds: reply.milliseconds });
    else inFlight.reject(new Error(reply.message));
    this.sendWaiting();
  }
}
