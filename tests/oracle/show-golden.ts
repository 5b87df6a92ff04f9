/** `node tests/oracle/show-golden.ts ID…`: prints golden files as terminal transcripts (to read or paste into a lesson). */
import { readGolden } from './corpus.ts';

for (const id of process.argv.slice(2)) {
  const golden = readGolden(id);
  if (!golden) {
    process.stderr.write(`no golden file for ${id}\n`);
    continue;
  }
  process.stdout.write(`### ${id} (${golden.systemd})\n`);
  for (const record of golden.records) {
    process.stdout.write(`$ ${record.command}\n${record.stdout}${record.stderr}${record.exitCode !== 0 ? `[exit ${record.exitCode}]\n` : ''}`);
  }
}
