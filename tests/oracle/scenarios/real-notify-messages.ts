import { PYTHON_NOTIFY } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

const unit = (mode: string, extra = ''): string => `[Unit]\nDescription=Notify ${mode}\n\n[Service]\nType=notify\n${extra}ExecStart=/usr/bin/python3 /opt/n.py ${mode}\n`;

export default defineScenario({
  id: 'real-notify-messages',
  about: 'sd_notify() from python3-systemd: READY/STATUS, NotifyAccess=main refusing a child (start times out), malformed datagrams, STOPPING=1',
  files: {
    '/etc/systemd/system/ready.service': unit('ready'),
    '/etc/systemd/system/child.service': unit('child', 'TimeoutStartSec=2\n'),
    '/etc/systemd/system/child-all.service': unit('child', 'NotifyAccess=all\n'),
    '/etc/systemd/system/malformed.service': unit('malformed'),
    '/etc/systemd/system/stopping.service': unit('stopping'),
    '/opt/n.py': PYTHON_NOTIFY,
  },
  kernels: ['node'],
  steps: [
    'systemctl start ready.service',
    'systemctl show -p ActiveState,SubState,StatusText,StatusErrno,NotifyAccess ready.service',
    { run: 'systemctl start child.service', timeout: 10000 },
    'systemctl show -p ActiveState,SubState,Result child.service',
    'journalctl -u child.service --no-pager -o cat',
    'systemctl start child-all.service',
    'systemctl show -p ActiveState,SubState,StatusText child-all.service',
    'systemctl start malformed.service',
    'systemctl show -p ActiveState,SubState,StatusText,StatusErrno malformed.service',
    'journalctl -u malformed.service --no-pager -o cat',
    'systemctl start stopping.service',
    { sleep: 700 },
    'systemctl show -p ActiveState,SubState,StatusText stopping.service',
    { waitFor: 'systemctl is-active stopping.service', equals: 'inactive' },
    'journalctl -u stopping.service --no-pager -o cat',
  ],
});
