/**
 * /usr/bin/dbus-daemon, reduced: `--address=systemd:` takes the bus socket from systemd (LISTEN_FDS), sends
 * READY=1 when it listens (dbus.service is Type=notify), and speaks the start of the D-Bus wire protocol:
 * the SASL handshake (`AUTH EXTERNAL …` → `OK <guid>`, `BEGIN`). Messages after BEGIN are not modelled.
 */
import type { ProgramFactory } from '../../../service/sandbox.ts';

/** The bus GUID the daemon announces. */
export const DBUS_GUID = '4f1c8a6e0b9d2c7e5a3f1b8d6e4c2a90';

/** The program. */
export const dbusDaemon: ProgramFactory = ({ process, require, console }) => {
  const net = require('net') as any;
  const sd = require('sd-daemon') as any;
  const address = process.argv.find((a: string) => a.startsWith('--address='))?.slice('--address='.length);
  const serve = (socket: any) => {
    socket.setEncoding('latin1');
    let buffer = '';
    socket.on('data', (text: string) => {
      buffer += text.replace(/^\0/, '');
      let nl: number;
      while ((nl = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (line.startsWith('AUTH EXTERNAL') || line === 'AUTH ANONYMOUS') socket.write(`OK ${DBUS_GUID}\r\n`);
        else if (line.startsWith('AUTH')) socket.write('REJECTED EXTERNAL\r\n');
        else if (line === 'NEGOTIATE_UNIX_FD') socket.write('AGREE_UNIX_FD\r\n');
        else if (line === 'BEGIN') return;
        else socket.write('ERROR "Unknown command"\r\n');
      }
    });
  };
  if (address === 'systemd:') {
    const fds = sd.listenFds();
    if (fds.length === 0) {
      console.error('dbus-daemon[' + process.pid + ']: Failed to start message bus: No socket received.');
      process.exit(1);
    }
    for (const fd of fds) net.createServer(serve).listen({ fd });
  } else {
    net.createServer(serve).listen((address ?? 'unix:path=/run/dbus/system_bus_socket').replace(/^unix:path=/, ''));
  }
  console.error(`dbus-daemon[${process.pid}]: [system] Successfully activated service 'org.freedesktop.systemd1'`);
  sd.notify('READY=1');
};
