/** Small building blocks for scenarios that are not a lab: one socket-activated service, "x", on a TCP port. */
import type { ScenarioFile } from './scenario.ts';

/** A Node service that takes fd 3 and answers every connection with one line (and logs that it started). */
export const X_PROGRAM: ScenarioFile = {
  mode: 0o755,
  content: `#!/usr/bin/env node
const net = require('net');
console.log('x: started, LISTEN_FDS=' + process.env.LISTEN_FDS);
net.createServer((socket) => {
  socket.on('error', () => {});
  socket.end('hello from x\\n');
}).listen({ fd: 3 });
`,
};

/** A Node program that prints a line and exits at once with a status (no accept). Node, so the memory kernel runs it too. */
export function exitingProgram(status: number, message = 'x: giving up'): ScenarioFile {
  return { mode: 0o755, content: `#!/usr/bin/env node\nconsole.log(${JSON.stringify(message)});\nprocess.exit(${status});\n` };
}

/** x.socket on 127.0.0.1:PORT with extra [Socket] lines, and [Install] WantedBy=sockets.target. */
export function xSocket(port: number | string, extra = ''): string {
  return `[Unit]\nDescription=x socket\n\n[Socket]\nListenStream=${typeof port === 'number' ? `127.0.0.1:${port}` : port}\n${extra}\n[Install]\nWantedBy=sockets.target\n`;
}

/** x.service running /opt/x/x with extra [Service] lines. */
export function xService(extra = '', unit = ''): string {
  return `[Unit]\nDescription=x service\n${unit}\n[Service]\nExecStart=/opt/x/x\n${extra}`;
}

/** The files of the plain x pair on a port. */
export function xFiles(port = 8080, socketExtra = '', serviceExtra = ''): Record<string, ScenarioFile> {
  return {
    '/etc/systemd/system/x.socket': xSocket(port, socketExtra),
    '/etc/systemd/system/x.service': xService(serviceExtra),
    '/opt/x/x': X_PROGRAM,
  };
}

/** A client connection: sends a line, prints the answer. */
export function connect(port = 8080): string {
  return `echo hi | nc -N 127.0.0.1 ${port}`;
}
