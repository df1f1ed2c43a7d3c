import socket, ssl

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.verify_mode = ssl.CERT_REQUIRED
context.load_cert_chain(certfile="server_cert.pem", keyfile="server_key.pem")
context.load_verify_locations(cafile="ca_cert.pem")

with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
    sock.bind(("127.0.0.1", 8443))
    sock.listen(5)
    with context.wrap_socket(sock, server_side=True) as ssock:
        print("Server listening on 127.0.0.1:8443 ...")
        conn, addr = ssock.accept()
        print("Connection from:", addr)
        print("Peer cert:", conn.getpeercert())
        data = conn.recv(1024)
        print("Received:", data.decode())
