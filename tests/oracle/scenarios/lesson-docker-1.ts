import { defineScenario } from '../scenario.ts';

/**
 * What dockerd does with `-H unix:///run/docker.sock` (moby's unix listener, go-connections
 * sockets.NewUnixSocket: unlink, umask 0777, listen, chown root:docker, chmod 0660), in Python: this
 * root has no dockerd.
 */
const DOCKERD = `#!/usr/bin/python3
import grp, os, socket
from systemd import daemon
path = "/run/docker.sock"
try:
    os.unlink(path)
except FileNotFoundError:
    pass
mask = os.umask(0o777)
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(128)
os.umask(mask)
os.chown(path, 0, grp.getgrnam("docker").gr_gid)
os.chmod(path, 0o660)
print('level=info msg="API listen on /run/docker.sock"', flush=True)
daemon.notify("READY=1")
while True:
    c, _ = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nOK")
    c.close()
`;

export default defineScenario({
  id: 'lesson-docker-1',
  about: 'docker: a daemon that binds unix:///run/docker.sock itself replaces the node of docker.socket: new inode, owner and mode',
  files: {
    '/usr/local/sbin/dockerd-unix': { content: DOCKERD, mode: 0o755 },
    '/etc/systemd/system/docker.socket': '[Unit]\nDescription=Docker Socket for the API\n\n[Socket]\nListenStream=/run/docker.sock\nSocketMode=0666\n\n[Install]\nWantedBy=sockets.target\n',
    '/etc/systemd/system/docker.service': '[Unit]\nDescription=Docker Application Container Engine\nRequires=docker.socket\nAfter=docker.socket\n\n[Service]\nType=notify\nExecStart=/usr/local/sbin/dockerd-unix\n',
  },
  steps: [
    'systemctl start docker.socket',
    "stat -c 'inode %i %A %U %G %n' /run/docker.sock",
    'systemctl start docker.service',
    "stat -c 'inode %i %A %U %G %n' /run/docker.sock",
    'ss -xlp | grep /run/docker.sock',
    'systemctl status docker.socket',
    'curl -s --unix-socket /run/docker.sock http://localhost/_ping',
  ],
  kernels: [],
});
