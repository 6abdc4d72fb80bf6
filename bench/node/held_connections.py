#!/usr/bin/env python3
# Memory per held connection of `fossa node`: 1000 connections (from 127.0.0.2-5, under the
# per-address cap) that each send half a request, held open; RSS before and after, and threads.
# Usage: bench/node/held_connections.py <path to fossa>
import socket, subprocess, sys, time, re, os
fossa = sys.argv[1]
p = subprocess.Popen([fossa, 'node', '--bind', '127.0.0.1', '-p', '0'], stderr=subprocess.PIPE, text=True)
line = p.stderr.readline()
port = int(re.search(r'127\.0\.0\.1:(\d+)', line).group(1))
def rss():
    for l in open(f'/proc/{p.pid}/status'):
        if l.startswith('VmRSS'): return int(l.split()[1])
def threads():
    for l in open(f'/proc/{p.pid}/status'):
        if l.startswith('Threads'): return int(l.split()[1])
socket.create_connection(('127.0.0.1', port)).sendall(b'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')
time.sleep(0.3)
before = rss()
conns = []
for i in range(1000):
    s = socket.socket(); s.bind((f'127.0.0.{2 + i // 250}', 0)); s.connect(('127.0.0.1', port)); s.sendall(b'GET /api/0.01/ HTTP/1.1\r\nHost: x\r\n'); conns.append(s)
time.sleep(1.0)
after = rss()
print(f'{fossa}: RSS {before} kB -> {after} kB with 1000 held connections: {(after-before)/1000:.1f} kB each; threads {threads()}')
for s in conns: s.close()
p.terminate(); p.wait()
