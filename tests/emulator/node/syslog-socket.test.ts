/**
 * syslog(3) of real programs on the Node kernel: journald's parsing of a syslog datagram (priority, the RFC 3164
 * date, `IDENTIFIER[PID]:`), and util-linux's logger, run as a service of the command line, reaching that unit's
 * journal through /dev/log. The daemon test needs root (a mount namespace of the emulator's own) and /usr/bin/logger:
 * it skips with a printed reason without them.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { parseSyslogDatagram } from '../../../src/emulator/kernel/node/syslog-socket.ts';
import { makeRoot } from './node-test-helpers.ts';
import { runCli, startDaemon, stopDaemon } from '../cli/cli-helpers.ts';

describe('a syslog datagram as journald reads it', () => {
  it("glibc's syslog(3) form: priority and facility, the date skipped, identifier and pid", () => {
    expect(parseSyslogDatagram('<35>Dec  1 14:00:00 sshd[123]: error: kex_exchange_identification: client sent invalid protocol identifier "hello"')).toEqual({
      priority: 3,
      facility: 4,
      identifier: 'sshd',
      pid: 123,
      message: 'error: kex_exchange_identification: client sent invalid protocol identifier "hello"',
    });
    expect(parseSyslogDatagram('<13>Dec 11 08:03:00 root: text\n')).toEqual({ priority: 5, facility: 1, identifier: 'root', message: 'text' });
  });

  it('without a priority it is user.info; a first word without a colon is no identifier; a bad pid is none', () => {
    expect(parseSyslogDatagram('hello world')).toEqual({ priority: 6, facility: 1, message: 'hello world' });
    expect(parseSyslogDatagram('<6>x[abc]: y')).toEqual({ priority: 6, facility: 1, identifier: 'x', message: 'y' });
    expect(parseSyslogDatagram('<999')).toEqual({ priority: 6, facility: 1, message: '<999' });
  });
});

const daemons: ChildProcess[] = [];
afterEach(async () => {
  await Promise.all(daemons.splice(0).map((child) => stopDaemon(child)));
});

describe('a service that logs with syslog(3), on the command line', () => {
  it("logger's message reaches the unit's journal with logger's tag, and the host's /dev/log is untouched", async (context) => {
    const reason = process.getuid?.() !== 0 ? 'not root (the services get /dev/log in a mount namespace of the emulator)' : !fs.existsSync('/usr/bin/logger') ? '/usr/bin/logger is missing' : undefined;
    if (reason) {
      console.log(`skipped: ${reason}`);
      return context.skip();
    }
    const hostHadDevLog = fs.existsSync('/dev/log');
    const root = makeRoot({
      '/etc/systemd/system/say.service': '[Unit]\nDescription=Says hello\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/logger -t greeter -p daemon.err "hello through /dev/log"\n',
    });
    const daemon = await startDaemon(['--root', root], /Multi-User System/);
    daemons.push(daemon.child);
    expect((await runCli(['systemctl', '--root', root, 'start', 'say.service'])).code).toBe(0);
    const journal = await runCli(['journalctl', '--root', root, '-u', 'say.service', '--no-pager']);
    expect(journal.stdout).toMatch(/ greeter\[\d+\]: hello through \/dev\/log$/m);
    // Before the exit's lines, as journald has it before PID 1 logs the exit.
    const cat = (await runCli(['journalctl', '--root', root, '-u', 'say.service', '-o', 'cat', '--no-pager'])).stdout.split('\n');
    expect(cat.indexOf('hello through /dev/log')).toBeGreaterThan(0);
    expect(cat.indexOf('hello through /dev/log')).toBeLessThan(cat.findIndex((line) => /Deactivated successfully|Finished say\.service/.test(line)));
    expect(fs.existsSync('/dev/log')).toBe(hostHadDevLog);
  });
});
