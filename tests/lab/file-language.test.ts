import { describe, expect, it } from 'vitest';
import { fileLanguage } from '../../src/lab/island/file-language.ts';
import { isUnitFile } from '../../src/lab/island/unit-file-path.ts';

describe('fileLanguage', () => {
  it('knows unit files and drop-ins', () => {
    expect(fileLanguage('/etc/systemd/system/myapp.socket', '[Socket]\n')).toBe('systemd');
    expect(fileLanguage('/etc/systemd/system/myapp.service.d/override.conf', '[Service]\n')).toBe('systemd');
  });

  it('reads the interpreter from the #! line of a file without extension', () => {
    expect(fileLanguage('/opt/myapp/myapp', '#!/usr/bin/env node\nconsole.log(1)\n')).toBe('javascript');
    expect(fileLanguage('/opt/hello/hello', '#!/usr/bin/python3\nprint(1)\n')).toBe('python');
    expect(fileLanguage('/usr/local/bin/run', '#!/bin/sh -e\nexec x\n')).toBe('shell');
    expect(fileLanguage('/usr/local/bin/run', '#!/usr/bin/env -S bash\n')).toBe('shell');
  });

  it('goes by the extension first', () => {
    expect(fileLanguage('/opt/hello-c/hello.c', '#include <stdio.h>\n')).toBe('c');
    expect(fileLanguage('/opt/hello-go/hello.go', 'package main\n')).toBe('go');
    expect(fileLanguage('/srv/app.mjs', '')).toBe('javascript');
    expect(fileLanguage('/srv/start.sh', '')).toBe('shell');
  });

  it('treats /etc/default files as shell and anything else as plain text', () => {
    expect(fileLanguage('/etc/default/ssh', '# Default settings for openssh-server.\nSSHD_OPTS=\n')).toBe('shell');
    expect(fileLanguage('/etc/cups/cupsd.conf', 'Listen /run/cups/cups.sock\n')).toBe('plain');
    expect(fileLanguage('/opt/report/report.conf', 'Daily report\n')).toBe('plain');
  });
});

describe('isUnitFile', () => {
  it('is true for units and drop-ins, false for other .conf files', () => {
    expect(isUnitFile('/etc/systemd/system/a.timer')).toBe(true);
    expect(isUnitFile('/etc/systemd/system/a.socket.d/50-port.conf')).toBe(true);
    expect(isUnitFile('/etc/cups/cupsd.conf')).toBe(false);
    expect(isUnitFile('/opt/myapp/myapp')).toBe(false);
  });
});
