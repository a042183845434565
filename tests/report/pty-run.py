#!/usr/bin/env python3
"""pty-run.py COLS OUT CMD ARGS...: run CMD with its standard output on a pseudo-terminal of COLS
columns (0: a terminal that has no size), write what it printed there to OUT (carriage returns
removed) and exit with its exit status. Standard input is /dev/null, standard error is kept."""
import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios


def main():
    cols, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50 if cols else 0, cols, 0, 0))
    with open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(cmd, stdin=devnull, stdout=slave)
    os.close(slave)
    data = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    status = proc.wait()
    with open(out, "wb") as f:
        f.write(data.replace(b"\r", b""))
    sys.exit(status if status >= 0 else 128 - status)


if __name__ == "__main__":
    main()
