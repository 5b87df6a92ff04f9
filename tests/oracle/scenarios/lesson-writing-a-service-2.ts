import { defineScenario } from '../scenario.ts';
import { example, helloService, helloSocket } from '../lesson-examples.ts';

const L = 'writing-a-service';

export default defineScenario({
  id: 'lesson-writing-a-service-2',
  about: 'A wrapper script that does not exec: the daemon is not the main process, ignores fd 3 and its READY=1 is refused; with exec it works',
  files: {
    '/opt/hello-py/hello-py': example(L, 'hello-py'),
    '/opt/hello-py/run-no-exec': example(L, 'run-no-exec'),
    '/opt/hello-py/run': example(L, 'run'),
    '/etc/systemd/system/hello-py.socket': helloSocket('hello-py', 9002),
    '/etc/systemd/system/hello-py.service': helloService('hello-py', 'hello-py, a socket-activated service', '/opt/hello-py/run-no-exec'),
  },
  steps: [
    'systemctl daemon-reload',
    'systemctl start hello-py.socket',
    { run: 'nc -N -w 2 127.0.0.1 9002 </dev/null', timeout: 5000 },
    'systemctl status hello-py.service',
    'systemctl stop hello-py.socket hello-py.service',
    { write: '/etc/systemd/system/hello-py.service', content: helloService('hello-py', 'hello-py, a socket-activated service', '/opt/hello-py/run') },
    'systemctl daemon-reload',
    'systemctl start hello-py.socket',
    'nc -N 127.0.0.1 9002 </dev/null',
    'systemctl status hello-py.service',
  ],
  kernels: [],
});
