"""The document's server.py, behaving the same (port 8443, the document's file names in the
working folder, CERT_REQUIRED, one connection per process, prints what it received), plus an
answer to the client so that the client side of integrity can be observed."""
import socket, ssl, sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8443
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.verify_mode = ssl.CERT_REQUIRED
context.load_cert_chain(certfile="server_cert.pem", keyfile="server_key.pem")
context.load_verify_locations(cafile="ca_cert.pem")

with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(5)
    with context.wrap_socket(sock, server_side=True) as ssock:
        print(f"Server listening on 127.0.0.1:{port} ...", flush=True)
        conn, addr = ssock.accept()
        print("Connection from:", addr)
        print("Peer cert:", conn.getpeercert())
        data = conn.recv(1024)
        print("Received:", data.decode(errors="replace"))
        conn.sendall(b"ACK " + data[:64])
        conn.close()
