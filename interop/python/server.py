"""The document's server.py made a service: the same checks (CERT_REQUIRED against ca_cert.pem,
the document's file names in the working folder, prints what it received), but it serves one
connection after another until stopped, answers each client so that the client side of integrity
can be observed, and listens on the port it is given (default 8443, the document's). With
--crl FILE it also checks the client's chain against the CRLs in FILE (one per CA).
Usage: server.py [port] [--crl FILE]"""
import socket, ssl, sys

port = int(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else 8443
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.verify_mode = ssl.CERT_REQUIRED
context.load_cert_chain(certfile="server_cert.pem", keyfile="server_key.pem")
context.load_verify_locations(cafile="ca_cert.pem")
if "--crl" in sys.argv:
    # load_verify_locations takes CRLs too; the flag makes OpenSSL check every CA's, not the leaf's only.
    context.load_verify_locations(cafile=sys.argv[sys.argv.index("--crl") + 1])
    context.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN

with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(5)
    print(f"Server listening on 127.0.0.1:{port} ...", flush=True)
    while True:
        raw, addr = sock.accept()
        raw.settimeout(10)  # a peer that stalls must not hold up the next one
        try:
            # The handshake happens here: a client the context refuses ends this connection only.
            with context.wrap_socket(raw, server_side=True) as conn:
                print("Connection from:", addr)
                print("Peer cert:", conn.getpeercert())
                data = conn.recv(1024)
                print("Received:", data.decode(errors="replace"), flush=True)
                conn.sendall(b"ACK " + data[:64])
        except (ssl.SSLError, OSError) as err:
            print("Refused:", addr, err, flush=True)
        finally:
            raw.close()
