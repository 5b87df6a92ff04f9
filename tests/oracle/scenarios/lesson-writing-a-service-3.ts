import { defineScenario } from '../scenario.ts';
import { example, helloService, helloSocket } from '../lesson-examples.ts';

const L = 'writing-a-service';

export default defineScenario({
  id: 'lesson-writing-a-service-3',
  about: 'The fd store: a service restarts while a client stays connected; the connection comes back in LISTEN_FDS; stop releases it',
  files: {
    '/opt/hello-keep/hello-keep': example(L, 'hello-keep'),
    '/usr/local/bin/client': example(L, 'client'),
    '/etc/systemd/system/hello-keep.socket': helloSocket('hello-keep', 9005),
    '/etc/systemd/system/hello-keep.service': helloService('hello-keep', 'hello-keep, keeps its clients across restarts', '/opt/hello-keep/hello-keep', 'FileDescriptorStoreMax=16\n'),
  },
  steps: [
    'systemctl daemon-reload',
    'systemctl start hello-keep.socket',
    'client one sleep=3 two > /tmp/client.out 2>&1 &',
    { sleep: 1000 },
    'systemctl show -p MainPID,NFileDescriptorStore hello-keep.service',
    'systemctl restart hello-keep.service',
    'systemctl show -p MainPID,NFileDescriptorStore hello-keep.service',
    { sleep: 3000 },
    'cat /tmp/client.out',
    'systemctl show -p MainPID,NFileDescriptorStore hello-keep.service',
    'journalctl -u hello-keep.service --no-pager',
    'client three sleep=3 four > /tmp/client.out 2>&1 &',
    { sleep: 1000 },
    'systemctl show -p NFileDescriptorStore hello-keep.service',
    'systemctl stop hello-keep.socket hello-keep.service',
    'systemctl show -p NFileDescriptorStore hello-keep.service',
    { sleep: 3000 },
    'cat /tmp/client.out',
  ],
  kernels: [],
});
