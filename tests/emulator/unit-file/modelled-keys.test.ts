/**
 * The directive table's `modelled` column: keys the emulator parses and checks but does not act on make
 * `systemd-analyze verify` and the journal say so in the emulator's own words (never as systemd's lines).
 */
import { describe, expect, it } from 'vitest';
import { DIRECTIVES, findDirective } from '../../../src/emulator/unit-file/directive-table.ts';
import { verifyUnits } from '../../../src/emulator/unit-file/verify-units.ts';
import { machine } from '../manager/harness.ts';

const SOCKET = '[Socket]\nListenStream=127.0.0.1:8080\nExecStartPre=/bin/true\n';

describe('modelled column of the directive table', () => {
  it('marks what the emulator does not act on, and models RemainAfterExit=, ExecCondition= and ExecStopPost=', () => {
    const unmodelled = DIRECTIVES.filter((d) => d.modelled !== true).map((d) => `${d.section}.${d.key}`);
    expect(unmodelled).toEqual([
      'Socket.ListenSpecial', 'Socket.ListenMessageQueue', 'Socket.ListenUSBFunction',
      'Socket.ExecStartPre', 'Socket.ExecStartPost', 'Socket.ExecStopPre', 'Socket.ExecStopPost', 'Path.PathExistsGlob',
    ]);
    for (const key of ['RemainAfterExit', 'ExecCondition', 'ExecStopPost']) expect(findDirective('Service', key)?.modelled).toBe(true);
  });

  it('systemd-analyze verify adds a note after systemd\'s own lines; verifyUnits keeps it out of them', async () => {
    const m = machine({ '/etc/systemd/system/x.socket': SOCKET, '/etc/systemd/system/x.service': '[Service]\nExecStart=/bin/true\n', '/bin/true': '' });
    const note = '/etc/systemd/system/x.socket:3: [emulator] ExecStartPre= is accepted but not modelled: systemd runs it before the socket is bound; the emulator does not run it.';
    const result = verifyUnits(['/etc/systemd/system/x.socket'], m.kernel.fs);
    expect(result.notes).toEqual([note]);
    expect(result.lines).not.toContain(note);
    const run = await m.run('systemd-analyze', 'verify', '/etc/systemd/system/x.socket');
    expect(run.stderr.split('\n')).toContain(note);
  });

  it('the journal carries the note when the unit is loaded, as the emulator\'s line, not systemd\'s', async () => {
    const m = machine({ '/etc/systemd/system/x.socket': SOCKET });
    await m.run('systemctl', 'start', 'x.socket');
    const entry = m.system.manager.journal.entries.find((e) => e.message.includes('[emulator] ExecStartPre='));
    expect(entry).toMatchObject({ identifier: 'emulator' });
  });

  it('an empty assignment (a reset) is not noted', () => {
    const m = machine({ '/etc/systemd/system/y.socket': '[Socket]\nListenStream=127.0.0.1:8080\nExecStartPre=\n' });
    expect(verifyUnits(['/etc/systemd/system/y.socket'], m.kernel.fs).notes).toEqual([]);
  });
});
