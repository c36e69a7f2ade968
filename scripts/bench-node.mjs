// One side of scripts/bench.sh's Node comparison: loads the npm package, reads two schema
// files (`empty` for none), plans previous -> next and writes the SQL, as the Prisma peer's
// direct mode does with Prisma's Wasm engine. Prints `call_ms=` (the first `plan` call alone)
// after the SQL.
// With a call count above 1 it plans the same pair that many times in the one process and also
// prints `later_call_ms=` (the median of the calls after the first) and `first_over_later=`:
// the first call pays for V8 compiling the module's functions, the later ones show the work
// itself (issue 14: the first large plan no slower than twice the later ones).
// Usage: node scripts/bench-node.mjs <npm/node.js> <previous.prisma|empty> <next.prisma> [calls]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [entry, previousFile, nextFile, callsArgument = '1'] = process.argv.slice(2);
const calls = Number.parseInt(callsArgument, 10);
if (!entry || !nextFile || !(calls >= 1)) {
  process.stderr.write('usage: node scripts/bench-node.mjs <npm/node.js> <previous.prisma|empty> <next.prisma> [calls]\n');
  process.exit(64);
}
const { plan } = await import(pathToFileURL(entry).href);
const previous = previousFile === 'empty' ? null : readFileSync(previousFile, 'utf8');
const next = readFileSync(nextFile, 'utf8');

// Wall time and the process's CPU time (user + system) of each call: on a machine shared with
// other work the wall time is mostly waiting for a core, the CPU time much less so.
const callTimes = [];
const callCpuTimes = [];
let result;
for (let call = 0; call < calls; call += 1) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  result = plan({ previous, next });
  const cpu = process.cpuUsage(cpuStart);
  callTimes.push(performance.now() - start);
  callCpuTimes.push((cpu.user + cpu.system) / 1000);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

process.stdout.write(result.sql);
process.stdout.write(`\ncall_ms=${callTimes[0].toFixed(1)}\n`);
process.stdout.write(`call_cpu_ms=${callCpuTimes[0].toFixed(1)}\n`);
if (calls > 1) {
  const later = median(callTimes.slice(1));
  const laterCpu = median(callCpuTimes.slice(1));
  process.stdout.write(`later_call_ms=${later.toFixed(1)}\n`);
  process.stdout.write(`later_call_cpu_ms=${laterCpu.toFixed(1)}\n`);
  process.stdout.write(`first_over_later=${(callTimes[0] / later).toFixed(2)}\n`);
  process.stdout.write(`first_over_later_cpu=${(callCpuTimes[0] / laterCpu).toFixed(2)}\n`);
}
