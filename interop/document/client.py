import socket, ssl

context = ssl.create_default_context(
    ssl.Purpose.SERVER_AUTH, cafile="ca_cert.pem"
)
context.load_cert_chain(certfile="client_cert.pem", keyfile="client_key.pem")

with socket.create_connection(("127.0.0.1", 8443)) as sock:
    with context.wrap_socket(sock, server_hostname="127.0.0.1") as ssock:
        print("SSL established. Peer:", ssock.getpeercert())
        ssock.sendall(b"Hello secure world!")
