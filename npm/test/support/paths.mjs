import { fileURLToPath } from 'node:url';

/** The npm package folder. */
export const packageDirectory = fileURLToPath(new URL('../../', import.meta.url));
/** The repository root (the Cargo workspace). */
export const repositoryDirectory = fileURLToPath(new URL('../../../', import.meta.url));
/** The planner's golden cases. */
export const goldenDirectory = fileURLToPath(new URL('../../../planner/tests/golden/', import.meta.url));
/** The built WebAssembly module. */
export const wasmPath = fileURLToPath(new URL('../../pkg/comon_migrate_wasm_bg.wasm', import.meta.url));
