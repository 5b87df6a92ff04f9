/** Units and programs shared by the other-socket-types lesson's scenarios (tests/oracle/scenarios/lesson-other-socket-types-*.ts). */

/** notes-keeper as the lesson shows it: prints every line from the datagram sockets and FIFOs it is given. */
export const NOTES_KEEPER = `#!/usr/bin/python3
# notes-keeper: prints each note that arrives on the sockets systemd passes (a datagram socket, a FIFO).
import os, select, socket, stat
from systemd import daemon

readers = {}
for fd in daemon.listen_fds():
    if stat.S_ISFIFO(os.fstat(fd).st_mode):
        readers[fd] = ('pipe', lambda fd=fd: os.read(fd, 4096))
    else:
        sock = socket.socket(fileno=fd)  # family and type come from the fd: AF_UNIX, SOCK_DGRAM
        readers[fd] = ('log', lambda sock=sock: sock.recv(4096))
while True:
    ready, _, _ = select.select(list(readers), [], [])
    for fd in ready:
        name, read = readers[fd]
        for line in read().decode().splitlines():
            print(f'{name}: {line}', flush=True)
`;

export const NOTES_SOCKET = `[Unit]
Description=Notes log socket

[Socket]
ListenDatagram=/run/notes/log
SocketMode=0666
Symlinks=/dev/notes

[Install]
WantedBy=sockets.target
`;

export const NOTES_SERVICE = `[Unit]
Description=Notes keeper

[Service]
ExecStart=/usr/local/bin/notes-keeper
`;

export const NOTES_CONTROL_SOCKET = `[Unit]
Description=Notes control pipe

[Socket]
ListenFIFO=/run/notes/control
SocketMode=0620
SocketGroup=adm

[Install]
WantedBy=sockets.target
`;

export const NOTES_CONTROL_SERVICE = `[Unit]
Description=Notes control reader

[Service]
ExecStart=/usr/local/bin/notes-keeper
`;
