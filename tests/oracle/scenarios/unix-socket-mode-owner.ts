import { defineScenario } from '../scenario.ts';
import { X_PROGRAM } from '../scenario-kit.ts';

export default defineScenario({
  id: 'unix-socket-mode-owner',
  about: 'A Unix socket with SocketMode=, SocketUser=, SocketGroup= and DirectoryMode=: the node and its folder',
  files: {
    '/etc/systemd/system/x.socket': '[Unit]\nDescription=x socket\n\n[Socket]\nListenStream=/run/x/x.sock\nSocketMode=0660\nSocketUser=www-data\nSocketGroup=www-data\nDirectoryMode=0750\n',
    '/etc/systemd/system/x.service': '[Service]\nExecStart=/opt/x/x\n',
    '/etc/systemd/system/y.socket': '[Socket]\nListenStream=/run/y.sock\nRemoveOnStop=yes\n',
    '/etc/systemd/system/y.service': '[Service]\nExecStart=/opt/x/x\n',
    '/opt/x/x': X_PROGRAM,
  },
  steps: [
    'systemctl start x.socket y.socket',
    'ls -l /run/x/x.sock /run/y.sock',
    'ls -ld /run/x',
    'systemctl status x.socket',
    'echo hi | nc -N -U /run/x/x.sock',
    'systemctl stop y.socket',
    'ls /run/y.sock',
    'systemctl stop x.socket',
    'ls /run/x/x.sock',
  ],
});
