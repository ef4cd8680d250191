/**
 * Run by specialFiles.test.ts in a child process (a reader that blocks in open() or reads
 * forever cannot be stopped from inside): `node --import tsx specialFiles.child.ts PATH`
 * points every file reader at PATH in turn and prints one JSON line per reader,
 * {"reader": name, "error": message} or {"reader": name, "ok": what it read}.
 */
import { readTextFile } from '../../../src/node/files';
import { readNumericFile, streamTextFile } from '../../../src/node/numericFile';
import { fitMiniBatchFile } from '../../../src/node/minibatchFile';
import { snapshotFile } from '../../../src/node/appendWatch';
import { readFileChunked } from '../../../src/worker/job';
import { readModelFile, sha256OfFile } from '../../../src/extension/modelFile';
import { main } from '../../../src/cli/cli';

const path = process.argv[2];

function cli(args: string[]): string {
  const out: string[] = [];
  const code = main(args, { stdout: (t) => { out.push(t); }, stderr: (t) => { out.push(t); } });
  if (code === 0) throw new Error('the CLI exited 0');
  return out.join('\n');
}

const readers: Record<string, () => unknown> = {
  readTextFile: () => readTextFile(path).bytes,
  readFileChunked: () => readFileChunked(path, 1024 * 1024, () => undefined).bytes,
  streamTextFile: () => streamTextFile(path, () => undefined).bytes,
  readNumericFile: () => readNumericFile(path, { parts: 1 }).bytes,
  fitMiniBatchFile: () => fitMiniBatchFile(path, { k: 2, batchSize: 10, seed: 0 }).nDataRows,
  'cli inspect': () => { throw new Error(cli(['inspect', path])); },
  'cli fit': () => { throw new Error(cli(['fit', path, '--k', '2'])); },
  'cli predict --model': () => { throw new Error(cli(['predict', path, '--model', path])); },
  readModelFile: () => readModelFile(path),
  sha256OfFile: () => sha256OfFile(path),
  snapshotFile: () => snapshotFile(path),
};

async function run(): Promise<void> {
  for (const [reader, fn] of Object.entries(readers)) {
    let line: object;
    try {
      line = { reader, ok: JSON.stringify(await fn()) };
    } catch (e) {
      line = { reader, error: e instanceof Error ? e.message : String(e) };
    }
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  process.exit(0);
}
void run();
