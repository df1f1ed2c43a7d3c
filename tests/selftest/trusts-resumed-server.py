"""A broken server for the self-test (interop-mutants.config.ts): client certificates optional
(CERT_OPTIONAL), and an application that refuses a client without one unless the connection
resumed a session, taking a resumed session for one that was verified when it was made. OpenSSL
sends TLS 1.3 tickets as the handshake ends, so a client it then refuses already holds one.
Usage: trusts-resumed-server.py port"""
import socket, ssl, sys

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.verify_mode = ssl.CERT_OPTIONAL
context.load_cert_chain(certfile="server_cert.pem", keyfile="server_key.pem")
context.load_verify_locations(cafile="ca_cert.pem")

with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", int(sys.argv[1])))
    sock.listen(5)
    print("listening", flush=True)
    while True:
        raw, addr = sock.accept()
        raw.settimeout(10)
        try:
            with context.wrap_socket(raw, server_side=True) as conn:
                if not conn.getpeercert() and not conn.session_reused:
                    print("Refused: no client certificate", flush=True)
                    continue
                data = conn.recv(1024)
                print("Received:", data.decode(errors="replace"), flush=True)
                conn.sendall(b"ACK " + data[:64])
        except (ssl.SSLError, OSError) as err:
            print("Refused:", addr, err, flush=True)
        finally:
            raw.close()
