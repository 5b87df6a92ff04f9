import { defineScenario } from '../scenario.ts';

const journal = 'journalctl -u nl.socket -u nla.socket -u nlx.socket --no-pager -o cat';
export default defineScenario({
  id: 'listen-netlink',
  about: 'ListenNetlink= sockets: names and numbers, a bad value, Accept=yes refused, a protocol the kernel lacks, and Debian\'s networkd socket started and stopped',
  files: {
    '/etc/systemd/system/nl.socket': '[Unit]\nDescription=netlink test socket\n\n[Socket]\nListenNetlink=route 1\nListenNetlink=bogus\nListenNetlink=0xf 1\n',
    '/etc/systemd/system/nl.service': '[Service]\nExecStart=/bin/sleep 1000\n',
    '/etc/systemd/system/nla.socket': '[Socket]\nListenNetlink=route 1\nAccept=yes\n',
    '/etc/systemd/system/nla@.service': '[Service]\nExecStart=/bin/sleep 1000\n',
    '/etc/systemd/system/nlx.socket': '[Socket]\nListenNetlink=22 1\n',
    '/etc/systemd/system/nlx.service': '[Service]\nExecStart=/bin/sleep 1000\n',
  },
  steps: [
    'systemctl start nl.socket',
    'systemctl status nl.socket',
    'systemctl show -p Listen -p SubState nl.socket',
    'systemctl list-sockets',
    'systemctl start nlx.socket',
    'systemctl status nlx.socket',
    'systemctl start nla.socket',
    journal,
    'systemctl start systemd-networkd.socket',
    'systemctl status systemd-networkd.socket',
    'systemctl stop systemd-networkd.socket nl.socket',
    'systemctl list-sockets --all',
  ],
});
