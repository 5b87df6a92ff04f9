// hello-go: greets each client and closes. Socket-activated (fd 3 from hello-go.socket) or, started by
// hand, on a port of its own. Tells systemd when it is ready, and exits after 5 s without clients.
// Only the standard library: sd_listen_fds() and sd_notify() are a few lines each.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"
)

const idle = 5 * time.Second

// listenFds is sd_listen_fds(1): the sockets systemd passed to this process (fd 3 onwards), or none.
func listenFds() []*os.File {
	defer os.Unsetenv("LISTEN_PID")
	defer os.Unsetenv("LISTEN_FDS")
	defer os.Unsetenv("LISTEN_FDNAMES")
	if os.Getenv("LISTEN_PID") != strconv.Itoa(os.Getpid()) {
		return nil
	}
	n, err := strconv.Atoi(os.Getenv("LISTEN_FDS"))
	if err != nil || n < 1 {
		return nil
	}
	files := make([]*os.File, n)
	for i := range files {
		files[i] = os.NewFile(uintptr(3+i), "LISTEN_FD_"+strconv.Itoa(3+i))
	}
	return files
}

// notify is sd_notify(0, state): one datagram to $NOTIFY_SOCKET; nothing to do without it.
func notify(state string) error {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return nil
	}
	if path[0] == '@' {
		path = "\x00" + path[1:]
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}

func main() {
	var listener net.Listener
	files := listenFds()
	activated := len(files) == 1
	switch {
	case len(files) > 1:
		fmt.Fprintf(os.Stderr, "hello-go: expected one socket from systemd, got %d\n", len(files))
		os.Exit(1)
	case activated:
		// FileListener fails unless fd 3 is a listening stream socket.
		l, err := net.FileListener(files[0])
		if err != nil {
			fmt.Fprintf(os.Stderr, "hello-go: fd 3 is not a listening socket: %v\n", err)
			os.Exit(1)
		}
		listener = l
		fmt.Println("hello-go: socket-activated, serving fd 3")
	default:
		l, err := net.Listen("tcp", "127.0.0.1:9103")
		if err != nil {
			fmt.Fprintln(os.Stderr, "hello-go:", err)
			os.Exit(1)
		}
		listener = l
		fmt.Println("hello-go: not socket-activated, listening on 127.0.0.1:9103 myself")
	}
	notify("READY=1")

	deadline := listener.(interface{ SetDeadline(time.Time) error }) // *net.TCPListener or *net.UnixListener
	for served := 1; ; served++ {
		if activated {
			deadline.SetDeadline(time.Now().Add(idle))
		}
		client, err := listener.Accept()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// Idle: exit. A client that connects now waits in systemd's socket, which starts us again.
			notify("STOPPING=1")
			fmt.Printf("hello-go: idle for %v after %d connection(s), exiting\n", idle, served-1)
			os.Exit(0)
		}
		if err != nil {
			continue
		}
		fmt.Fprintf(client, "hello from Go (pid %d), connection %d\n", os.Getpid(), served)
		client.Close()
	}
}
