import { describe, expect, it } from 'vitest';
import type { CommandRecord } from './scenario.ts';
import { normaliseRecords } from './normalise.ts';

const record = (step: number, stdout: string): CommandRecord => ({ step, command: 'journalctl -x -u x.service --no-pager', stdout, stderr: '', exitCode: 0 });

describe('normalise: job ids (rule 11)', () => {
  it('numbers the catalog\'s job ids by first appearance in the run, so shared ids stay shared', () => {
    const out = normaliseRecords([
      record(0, '░░ The job identifier is 87.\n'),
      record(1, '░░ The job identifier is 288 and the job result is done.\n░░ The job identifier is 288.\n░░ The job identifier is 87.\n'),
    ]);
    expect(out.map((r) => r.stdout)).toEqual([
      '░░ The job identifier is <job1>.\n',
      '░░ The job identifier is <job2> and the job result is done.\n░░ The job identifier is <job2>.\n░░ The job identifier is <job1>.\n',
    ]);
  });

  it('leaves other numbers alone', () => {
    expect(normaliseRecords([record(0, 'restart counter is at 87.\n')])[0].stdout).toBe('restart counter is at 87.\n');
  });
});

describe('normalise: ss -x padding (rule 5)', () => {
  const ss = (stdout: string): CommandRecord => ({ step: 0, command: 'ss -xl', stdout, stderr: '', exitCode: 0 });
  it('an 8-digit inode and a 7-digit one give the same output (the header and rows are padded to them)', () => {
    const seven = 'Netid State  Recv-Q Send-Q               Local Address:Port    Peer Address:PortProcess\nu_str LISTEN 0      4096   /run/dbus/system_bus_socket 3222992            * 0          \n';
    const eight = 'Netid State  Recv-Q Send-Q               Local Address:Port     Peer Address:PortProcess\nu_str LISTEN 0      4096   /run/dbus/system_bus_socket 11679165            * 0          \n';
    expect(normaliseRecords([ss(seven)])[0].stdout).toBe(normaliseRecords([ss(eight)])[0].stdout);
    expect(normaliseRecords([ss(seven)])[0].stdout).toBe('Netid State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nu_str LISTEN 0 <inode> /run/dbus/system_bus_socket <inode> * 0\n');
  });

  it('keeps the padding of outputs without Unix rows', () => {
    const tcp = 'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0      4096       127.0.0.1:8080      0.0.0.0:*\n';
    expect(normaliseRecords([ss(tcp)])[0].stdout).toBe(tcp);
  });
});
