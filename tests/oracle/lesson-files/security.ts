/** Units and the program shared by the security lesson's scenarios (tests/oracle/scenarios/lesson-security-*.ts). */
import { readFileSync } from 'node:fs';

/** The lab's hello-web, as the lesson shows it. */
export const HELLO_WEB = readFileSync(new URL('../../../labs/privileged-port/files/usr/local/bin/hello-web', import.meta.url), 'utf8');

/** web.socket: port 80, bound by systemd. */
export const WEB_SOCKET = `[Unit]
Description=hello-web socket

[Socket]
ListenStream=80

[Install]
WantedBy=sockets.target
`;

/** web.service with the [Service] lines given. */
export function webService(lines: string): string {
  return `[Unit]
Description=hello-web

[Service]
ExecStart=/usr/local/bin/hello-web
${lines}`;
}
