import { PYTHON_NOTIFY } from '../real-programs-kit.ts';
import { defineScenario } from '../scenario.ts';

export default defineScenario({
  id: 'real-notify-watchdog-fdstore',
  about: 'WatchdogSec= without WATCHDOG=1 (aborted, result watchdog); FDSTORE=1 keeps an fd across a restart',
  files: {
    '/etc/systemd/system/wd.service': '[Unit]\nDescription=Watchdog\n\n[Service]\nType=notify\nWatchdogSec=1\nExecStart=/usr/bin/python3 /opt/n.py watchdog\n',
    '/etc/systemd/system/store.service': '[Unit]\nDescription=Fd store\n\n[Service]\nType=notify\nFileDescriptorStoreMax=2\nExecStart=/usr/bin/python3 /opt/n.py fdstore\n',
    '/opt/n.py': PYTHON_NOTIFY,
  },
  kernels: ['node'],
  steps: [
    'systemctl start wd.service',
    { waitFor: 'systemctl is-active wd.service', equals: 'failed', timeout: 10000 },
    'systemctl show -p ActiveState,SubState,Result,WatchdogUSec wd.service',
    'systemctl status wd.service',
    'journalctl -u wd.service --no-pager -o cat',
    'systemctl start store.service',
    'systemctl show -p NFileDescriptorStore,FileDescriptorStoreMax store.service',
    'systemctl restart store.service',
    { sleep: 500 },
    'systemctl show -p NFileDescriptorStore store.service',
    'journalctl -u store.service --no-pager -o cat',
  ],
});
