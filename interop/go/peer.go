// A server and a client on Go's standard library (crypto/tls), as a team would write them.
//
//	peer server <port> <ca> <cert> <key> [request|require]   serves until stopped: each connection's
//	    first line is printed and answered ("hello <line>"); the client certificate is required and
//	    verified (RequireAndVerifyClientCert) unless `request` (RequestClientCert: the mutant)
//	peer client <host> <port> <name> <ca> <cert> <key> [insecure]   sends a line, prints the answer
//
// Both set MinVersion to TLS 1.2: a Go 1.19 server accepts TLS 1.0 and 1.1 unless told not to
// (the `min10` mode keeps the default, the self-test's mutant).
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"os"
)

func pool(file string) *x509.CertPool {
	pem, err := os.ReadFile(file)
	if err != nil {
		fail(err)
	}
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(pem) {
		fail(fmt.Errorf("no certificate in %s", file))
	}
	return p
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: peer server|client ..."))
	}
	switch os.Args[1] {
	case "server":
		serve(os.Args[2:])
	case "client":
		dial(os.Args[2:])
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func serve(args []string) {
	port, ca, certFile, keyFile := args[0], args[1], args[2], args[3]
	mode := ""
	if len(args) > 4 {
		mode = args[4]
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fail(err)
	}
	config := &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientCAs:    pool(ca),
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
	}
	switch mode {
	case "request":
		config.ClientAuth = tls.RequestClientCert
	case "min10":
		config.MinVersion = 0
	}
	listener, err := tls.Listen("tcp", "127.0.0.1:"+port, config)
	if err != nil {
		fail(err)
	}
	fmt.Println("listening on 127.0.0.1:" + port)
	for {
		conn, err := listener.Accept()
		if err != nil {
			fail(err)
		}
		go func(c net.Conn) {
			defer c.Close()
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				fmt.Println("refused:", err)
				return
			}
			fmt.Print("received: ", line)
			fmt.Fprint(c, "hello "+line)
		}(conn)
	}
}

func dial(args []string) {
	host, port, name, ca, certFile, keyFile := args[0], args[1], args[2], args[3], args[4], args[5]
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		fail(err)
	}
	config := &tls.Config{
		Certificates: []tls.Certificate{cert},
		RootCAs:      pool(ca),
		ServerName:   name,
		MinVersion:   tls.VersionTLS12,
	}
	if len(args) > 6 && args[6] == "insecure" {
		config.InsecureSkipVerify = true
	}
	conn, err := tls.Dial("tcp", net.JoinHostPort(host, port), config)
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	fmt.Fprintln(conn, "hello from the Go client")
	answer, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && answer == "" {
		fail(err)
	}
	fmt.Print("answer: ", answer)
}
