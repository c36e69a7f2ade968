// The package's types in a project without DOM typings (`lib: ["es2022"]`, no `@types/node`):
// `tsc --noEmit -p tsconfig.no-dom.json` checks this file (test/types.test.mjs runs it).
import { init, plan, type PlanResult } from "comon-migrate";

export async function planned(next: string): Promise<PlanResult> {
  await init();
  await init(new Uint8Array(0));
  // @ts-expect-error: a number is no wasm source
  await init(42);
  return plan({ previous: null, next });
}
