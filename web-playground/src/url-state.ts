// The whole state of the page in the URL's hash, so that a link reproduces it: JSON, deflated
// with the browser's CompressionStream, in base64url (`#z=...`). Browsers without
// CompressionStream write and read uncompressed JSON (`#j=...`). Nothing leaves the browser: the
// hash is never sent to a server.

import type { Provider } from 'comon-migrate';

/** What a link holds. A loaded SQLite file is shared as its introspected snapshot and row counts (never its data). */
export interface SharedState {
  provider: Provider;
  /** Which previous side is in use. */
  previousMode: 'schema' | 'snapshot';
  /** The previous schema.prisma text. */
  previous: string;
  /** The pasted snapshot JSON text. */
  snapshot: string;
  /** The next schema.prisma text. */
  next: string;
  /** Rows per table of the previous database, when the snapshot came from one. */
  rowCounts?: Record<string, number>;
}

function base64UrlOfBytes(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function bytesOfBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const output = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

const compressionAvailable = typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/** The hash (with its `#`) that holds `state`. */
export async function hashOfState(state: SharedState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify({ v: 1, ...state }));
  if (!compressionAvailable) return `#j=${base64UrlOfBytes(json)}`;
  return `#z=${base64UrlOfBytes(await transform(json, new CompressionStream('deflate-raw')))}`;
}

/** The state a hash holds, or null when it holds none (or one this page cannot read). */
export async function stateOfHash(hash: string): Promise<SharedState | null> {
  const match = /^#([zj])=([A-Za-z0-9_-]*)$/.exec(hash);
  if (!match) return null;
  try {
    let bytes = bytesOfBase64Url(match[2]!);
    if (match[1] === 'z') bytes = await transform(bytes, new DecompressionStream('deflate-raw'));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return sharedStateOf(value);
  } catch {
    return null;
  }
}

function sharedStateOf(value: unknown): SharedState | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : '');
  const provider = record.provider === 'postgresql' ? 'postgresql' : 'sqlite';
  const state: SharedState = {
    provider,
    previousMode: record.previousMode === 'snapshot' ? 'snapshot' : 'schema',
    previous: text('previous'),
    snapshot: text('snapshot'),
    next: text('next'),
  };
  if (typeof record.rowCounts === 'object' && record.rowCounts !== null) {
    const rowCounts: Record<string, number> = {};
    for (const [table, count] of Object.entries(record.rowCounts)) {
      if (typeof count === 'number' && Number.isFinite(count)) rowCounts[table] = count;
    }
    state.rowCounts = rowCounts;
  }
  return state;
}
