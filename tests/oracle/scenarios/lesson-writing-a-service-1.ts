import { defineScenario } from '../scenario.ts';
import { example, helloService, helloSocket } from '../lesson-examples.ts';

const L = 'writing-a-service';
const GO_BUILD = 'cd /opt/hello-go && HOME=/root GOCACHE=/tmp/go-cache GO111MODULE=off go build -o hello-go hello.go';

export default defineScenario({
  id: 'lesson-writing-a-service-1',
  about: 'The same socket-activated service in C, Python, Go and Node: built, started through its socket, idle exit, and started by hand',
  files: {
    '/opt/hello-c/hello.c': example(L, 'hello.c'),
    '/opt/hello-py/hello-py': example(L, 'hello-py'),
    '/opt/hello-go/hello.go': example(L, 'hello.go'),
    '/opt/hello-node/hello-node': example(L, 'hello-node'),
    '/etc/systemd/system/hello-c.socket': helloSocket('hello-c', 9001),
    '/etc/systemd/system/hello-c.service': helloService('hello-c', 'hello-c, a socket-activated service', '/opt/hello-c/hello-c'),
    '/etc/systemd/system/hello-py.socket': helloSocket('hello-py', 9002),
    '/etc/systemd/system/hello-py.service': helloService('hello-py', 'hello-py, a socket-activated service', '/opt/hello-py/hello-py'),
    '/etc/systemd/system/hello-go.socket': helloSocket('hello-go', 9003),
    '/etc/systemd/system/hello-go.service': helloService('hello-go', 'hello-go, a socket-activated service', '/opt/hello-go/hello-go'),
    '/etc/systemd/system/hello-node.socket': helloSocket('hello-node', 9004),
    '/etc/systemd/system/hello-node.service': helloService('hello-node', 'hello-node, a socket-activated service', '/opt/hello-node/hello-node'),
  },
  steps: [
    'cd /opt/hello-c && gcc -Wall -o hello-c hello.c -lsystemd',
    { run: GO_BUILD, timeout: 180_000 },
    'systemctl daemon-reload',
    'systemctl start hello-c.socket hello-py.socket hello-go.socket hello-node.socket',
    'nc -N 127.0.0.1 9001 </dev/null',
    'nc -N 127.0.0.1 9002 </dev/null',
    'nc -N 127.0.0.1 9003 </dev/null',
    'nc -N 127.0.0.1 9004 </dev/null',
    'nc -N 127.0.0.1 9001 </dev/null',
    'systemctl status hello-c.service',
    { sleep: 6000 },
    'systemctl is-active hello-c.service hello-py.service hello-go.service hello-node.service',
    'journalctl -u hello-c.service --no-pager',
    'nc -N 127.0.0.1 9001 </dev/null',
    'systemctl is-active hello-c.socket',
    { run: 'timeout 1 /opt/hello-c/hello-c & sleep 0.3; nc -N 127.0.0.1 9101 </dev/null; wait', timeout: 5000 },
    { run: 'timeout 1 /opt/hello-py/hello-py & sleep 0.5; nc -N 127.0.0.1 9102 </dev/null; wait', timeout: 5000 },
    { run: 'timeout 1 /opt/hello-go/hello-go & sleep 0.3; nc -N 127.0.0.1 9103 </dev/null; wait', timeout: 5000 },
    { run: 'timeout 1 /opt/hello-node/hello-node & sleep 0.5; nc -N 127.0.0.1 9104 </dev/null; wait', timeout: 5000 },
  ],
  kernels: [],
});
