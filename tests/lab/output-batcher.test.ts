import { describe, expect, it } from 'vitest';
import { MAX_EVENTS_PER_BATCH, MAX_OUTPUT_PER_BATCH, OutputBatcher } from '../../src/lab/runtime/in-page/output-batcher.ts';
import type { FromWorker } from '../../src/lab/runtime/in-page/runtime-protocol.ts';

/** A batcher whose flushes run when the test says. */
function batcher() {
  const posted: FromWorker[] = [];
  let pending: (() => void) | undefined;
  const b = new OutputBatcher((m) => posted.push(m), (flush) => (pending = flush));
  return { b, posted, flush: () => pending?.() };
}

describe('the Worker output batcher', () => {
  it('posts one message per task, merging consecutive output of a command, in order with exits', () => {
    const { b, posted, flush } = batcher();
    b.send({ kind: 'output', id: 1, text: 'a', stream: 'stdout' });
    b.send({ kind: 'output', id: 1, text: 'b', stream: 'stdout' });
    b.send({ kind: 'output', id: 1, text: 'err', stream: 'stderr' });
    b.send({ kind: 'exit', id: 1, code: 0 });
    expect(posted).toEqual([]);
    flush();
    expect(posted).toEqual([{ kind: 'batch', messages: [
      { kind: 'output', id: 1, text: 'ab', stream: 'stdout' },
      { kind: 'output', id: 1, text: 'err', stream: 'stderr' },
      { kind: 'exit', id: 1, code: 0 },
    ] }]);
  });

  it('bounds a flood: keeps the newest output and says how much it dropped', () => {
    const { b, posted, flush } = batcher();
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 1000; i++) b.send({ kind: 'output', id: 7, text: line, stream: 'stdout' });
    for (let i = 0; i < MAX_EVENTS_PER_BATCH + 50; i++) b.send({ kind: 'event', event: { type: 'reload' } });
    flush();
    const messages = (posted[0] as Extract<FromWorker, { kind: 'batch' }>).messages;
    const text = messages.filter((m) => m.kind === 'output' && m.stream === 'stdout').map((m) => (m as { text: string }).text).join('');
    expect(text.length).toBe(MAX_OUTPUT_PER_BATCH);
    expect(text.endsWith(line)).toBe(true);
    expect(messages[0]).toEqual({ kind: 'output', id: 7, stream: 'stderr', text: `[… ${1000 * 1024 - MAX_OUTPUT_PER_BATCH} characters of output not shown: the terminal could not keep up …]\n` });
    expect(messages.filter((m) => m.kind === 'event').length).toBe(MAX_EVENTS_PER_BATCH);
  });
});
