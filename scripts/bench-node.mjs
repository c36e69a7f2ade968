// One side of scripts/bench.sh's Node comparison: loads the npm package, reads two schema
// files (`empty` for none), plans previous -> next and writes the SQL, as the Prisma peer's
// direct mode does with Prisma's Wasm engine. Prints `call_ms=` (the `plan` call alone) last.
// Usage: node scripts/bench-node.mjs <npm/node.js> <previous.prisma|empty> <next.prisma>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [entry, previousFile, nextFile] = process.argv.slice(2);
const { plan } = await import(pathToFileURL(entry).href);
const previous = previousFile === 'empty' ? null : readFileSync(previousFile, 'utf8');
const next = readFileSync(nextFile, 'utf8');
const start = performance.now();
const result = plan({ previous, next });
const callMs = performance.now() - start;
process.stdout.write(result.sql);
process.stdout.write(`\ncall_ms=${callMs.toFixed(1)}\n`);
