"""The document's client.py, behaving the same (dials 127.0.0.1:8443, verifies the server against
ca_cert.pem and its name, presents its certificate, sends one message), and prints the answer so
that the client side of integrity and confidentiality can be observed.
With --crl FILE it also checks the server's chain against the CRLs in FILE (one per CA).
Usage: client.py [port] [name to verify, default 127.0.0.1] [--insecure] [--crl FILE]"""
import socket, ssl, sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8443
name = sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "127.0.0.1"
context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile="ca_cert.pem")
if "--insecure" in sys.argv[2:]:  # a deliberately broken client, for the self-tests
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
if "--crl" in sys.argv:
    context.load_verify_locations(cafile=sys.argv[sys.argv.index("--crl") + 1])
    context.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN
context.load_cert_chain(certfile="client_cert.pem", keyfile="client_key.pem")

with socket.create_connection(("127.0.0.1", port)) as sock:
    with context.wrap_socket(sock, server_hostname=name) as ssock:
        print("SSL established. Peer:", ssock.getpeercert())
        ssock.sendall(b"Hello secure world!")
        answer = b""
        while True:
            chunk = ssock.recv(65536)
            if not chunk:
                break
            answer += chunk
        print("Answer:", answer[:200].decode(errors="replace"))
