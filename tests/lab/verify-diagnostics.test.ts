import { describe, expect, it } from 'vitest';
import { parseVerifyOutput } from '../../src/lab/island/verify-diagnostics.ts';

describe('systemd-analyze verify output in the editor', () => {
  const output = [
    '/etc/systemd/system/myapp.socket:5: Failed to parse boolean value, ignoring: maybe',
    '/etc/systemd/system/myapp.socket: Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.',
    '/etc/systemd/system/myapp.service:3: Unknown key \'Bogus\' in section [Service], ignoring.',
    'Some unrelated line',
  ].join('\n');

  it('keeps the lines about the file with their line numbers and severities', () => {
    expect(parseVerifyOutput(output, '/etc/systemd/system/myapp.socket')).toEqual([
      { line: 5, message: 'Failed to parse boolean value, ignoring: maybe', severity: 'warning' },
      {
        line: 0,
        message: 'Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, ...). Refusing.',
        severity: 'error',
      },
    ]);
  });

  it('ignores other files and unrelated text', () => {
    expect(parseVerifyOutput(output, '/etc/systemd/system/other.socket')).toEqual([]);
  });
});
