import { defineScenario } from '../scenario.ts';

/** A service that answers with what it received: the body's length, its Content-Type and the body (boundary masked). */
const BODY_SERVICE = `#!/usr/bin/env node
const net = require('net');
net.createServer((c) => {
  let text = '';
  c.setEncoding('utf8');
  c.on('data', (d) => {
    text += d;
    const end = text.indexOf('\\r\\n\\r\\n');
    if (end < 0) return;
    const length = Number((/Content-Length: (\\d+)/i.exec(text) || [0, 0])[1]);
    if (text.length < end + 4 + length) return;
    const type = (/Content-Type: (.*)/i.exec(text.slice(0, end)) || [0, '-'])[1];
    const boundary = (/boundary=(\\S+)/.exec(type) || [])[1];
    let body = text.slice(end + 4, end + 4 + length);
    if (boundary) body = body.split(boundary).join('BOUNDARY');
    const reply = length + ' ' + type.replace(/boundary=\\S+/, 'boundary=BOUNDARY') + '\\n' + JSON.stringify(body) + '\\n';
    c.end('HTTP/1.1 200 OK\\r\\nContent-Length: ' + reply.length + '\\r\\nConnection: close\\r\\n\\r\\n' + reply);
  });
}).listen({ fd: 3 });
`;

export default defineScenario({
  id: 'curl-request-bodies',
  about: "curl's -d @file (CR/LF dropped), --data-binary, --data-raw, --data-urlencode, -F multipart parts, and files it cannot read",
  files: {
    '/opt/body/server': { content: BODY_SERVICE, mode: 0o755 },
    '/opt/body/f.txt': 'a b\r\nc&d\n\nend\n',
    '/etc/systemd/system/body.socket': '[Socket]\nListenStream=127.0.0.1:8080\n',
    '/etc/systemd/system/body.service': '[Service]\nExecStart=/opt/body/server\n',
  },
  steps: [
    'systemctl start body.socket',
    'curl -s -d @/opt/body/f.txt http://127.0.0.1:8080/',
    'curl -s --data-binary @/opt/body/f.txt http://127.0.0.1:8080/',
    'curl -s --data-raw @/opt/body/f.txt http://127.0.0.1:8080/',
    'curl -s -d x=1 -d @/opt/body/f.txt http://127.0.0.1:8080/',
    "curl -s --data-urlencode 'a=b&c d' --data-urlencode f@/opt/body/f.txt http://127.0.0.1:8080/",
    'curl --no-progress-meter -d @/opt/body/nope http://127.0.0.1:8080/',
    "curl -s -F name=v -F f=@/opt/body/f.txt -F 'g=</opt/body/f.txt' -F 'h=@/opt/body/f.txt;type=x/y;filename=z.bin' http://127.0.0.1:8080/",
    'curl -sS -F f=@/opt/body/nope http://127.0.0.1:8080/',
    'curl -F noequals http://127.0.0.1:8080/',
  ],
});
