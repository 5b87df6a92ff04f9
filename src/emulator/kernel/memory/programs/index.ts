/** The built-in programs labs can mount by path (createMemoryKernel({ programs: daemonPrograms })). */
import type { ProgramFactory } from '../../../service/sandbox.ts';
import { cupsd } from './cupsd.ts';
import { dbusDaemon } from './dbus-daemon.ts';
import { dockerd } from './dockerd.ts';
import { echoServer } from './echo-server.ts';
import { httpHello } from './http-hello.ts';
import { sshd } from './sshd.ts';

/** Paths as the Debian packages install them. */
export const daemonPrograms: Record<string, ProgramFactory> = {
  '/usr/sbin/sshd': sshd,
  '/usr/bin/dockerd': dockerd,
  '/usr/sbin/cupsd': cupsd,
  '/usr/bin/dbus-daemon': dbusDaemon,
  '/usr/local/bin/echo-server': echoServer,
  '/usr/local/bin/http-hello': httpHello,
};
