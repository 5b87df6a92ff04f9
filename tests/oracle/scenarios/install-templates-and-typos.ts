import { defineScenario } from '../scenario.ts';

/** enable/disable/is-enabled of templates and instances, DefaultInstance=, and a WantedBy= naming no unit. */
export default defineScenario({
  id: 'install-templates-and-typos',
  about: 'enable of a template without and with DefaultInstance=, of an instance, list-unit-files of templates, and WantedBy= with a typo in the target name',
  files: {
    '/etc/systemd/system/tpl@.service': '[Unit]\nDescription=template %i\n\n[Service]\nExecStart=/bin/sleep 1000\n\n[Install]\nWantedBy=multi-user.target\n',
    '/etc/systemd/system/dflt@.service': '[Unit]\nDescription=default instance %i\n\n[Service]\nExecStart=/bin/sleep 1000\n\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=main\n',
    '/etc/systemd/system/typo.service': '[Service]\nExecStart=/bin/sleep 1000\n\n[Install]\nWantedBy=multi-user.targe\n',
    '/etc/systemd/system/req.socket': '[Socket]\nListenStream=127.0.0.1:9400\n\n[Install]\nRequiredBy=sockets.target\n',
  },
  steps: [
    'systemctl enable tpl@.service',
    'systemctl is-enabled tpl@.service tpl@a.service',
    'systemctl enable tpl@a.service',
    'systemctl is-enabled tpl@.service tpl@a.service tpl@b.service',
    'systemctl list-unit-files "tpl*" "dflt*"',
    'systemctl enable dflt@.service',
    'systemctl is-enabled dflt@.service dflt@main.service',
    'systemctl disable tpl@a.service',
    'systemctl disable dflt@.service',
    'systemctl enable typo.service',
    'systemctl is-enabled typo.service',
    'systemctl disable typo.service',
    'systemctl enable req.socket',
    'systemctl is-enabled req.socket',
    'systemctl disable req.socket',
    'systemctl enable --now req.socket',
    'systemctl is-active req.socket',
    'systemctl disable --now req.socket',
    'systemctl is-active req.socket',
  ],
});
