import { defineScenario } from '../scenario.ts';
import { X_PROGRAM, xFiles } from '../scenario-kit.ts';

export default defineScenario({
  id: 'base-system-units',
  about: 'What PID 1 always has: the standard targets after boot, -.slice and system.slice, and the dependencies it adds to instances, DefaultDependencies=no units, path units and targets',
  files: {
    ...xFiles(8080),
    '/etc/systemd/system/y@.service': '[Unit]\nDescription=y\n[Service]\nStandardInput=socket\nExecStart=/opt/x/x\n',
    '/etc/systemd/system/p.path': '[Unit]\nDescription=p\n[Path]\nPathExists=/run/zz\nUnit=x.service\n',
    '/etc/systemd/system/t.target': '[Unit]\nDescription=t\nWants=x.service z.service\n',
    '/etc/systemd/system/z.service': '[Unit]\nDescription=z\nDefaultDependencies=no\n[Service]\nExecStart=/opt/z/z\n[Install]\nWantedBy=multi-user.target\n',
    '/etc/systemd/system/loop.target': '[Unit]\nDescription=loop\nWants=loop2.target\n',
    '/etc/systemd/system/loop2.target': '[Unit]\nDescription=loop2\nWants=loop.target\n',
    '/opt/z/z': X_PROGRAM,
  },
  steps: [
    'systemctl is-active -- -.slice system.slice sysinit.target basic.target sockets.target multi-user.target graphical.target default.target shutdown.target rescue.target',
    'systemctl cat sysinit.target',
    'systemctl enable x.socket z.service',
    'systemctl show -p Requires -p Wants -p After -p Before -p Conflicts -p Slice -p DefaultDependencies -p WantedBy x.socket z.service',
    'systemctl show -p Requires -p After -p Before -p Conflicts -p Slice y@1.service t.target',
    'systemctl show -p Requires -p Before -p Triggers p.path',
    'systemctl show -p Requires -p After -p Slice -p DefaultDependencies -p Perpetual system.slice',
    'systemctl list-dependencies loop.target',
    'systemctl stop system.slice',
    'systemctl is-active system.slice',
  ],
});
