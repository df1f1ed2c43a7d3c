// A server and a client on Java's JSSE (JDK 17, the standard library only), as a team would write
// them: a PKCS#12 key store with the peer's key and chain, a trust store of the run's CA, and
// PKIX with the run's CRLs (revocation on).
//
//   Peer server <port> <ca> <p12> <crl> [want]   serves until stopped: each connection's first line
//       is printed and answered ("hello <line>"); the client certificate is needed
//       (setNeedClientAuth) unless `want` (setWantClientAuth: the self-test's mutant)
//   Peer client <host> <port> <name> <ca> <p12> <crl>   dials <host>, verifies <name> (HTTPS
//       endpoint identification: DNS or IP SANs; SNI for a DNS name), sends a line, prints the answer
//   Peer clients <ca> <p12> <crl>   the same client, one JVM for many connections (the harness's
//       `session` client): each stdin line "<host> <port> <name>" is one dial with a fresh SSLContext
//       (no session shared between lines), its output ended by "mtls-conformance exit <status>"
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

public final class Peer {
  private static final char[] PASS = "mtls".toCharArray();
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  public static void main(String[] args) throws Exception {
    if (args.length < 1) fail("usage: Peer server|client ...");
    if (args[0].equals("server")) serve(args);
    else if (args[0].equals("client")) {
      if (!dial(args[1], Integer.parseInt(args[2]), args[3], args[4], args[5], args[6])) System.exit(1);
    } else if (args[0].equals("clients")) dialEach(args[1], args[2], args[3]);
    else fail("unknown mode " + args[0]);
  }

  private static void fail(String why) {
    System.err.println("error: " + why);
    System.exit(1);
  }

  private static SSLContext context(String ca, String p12, String crl) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(p12)) {
      keys.load(in, PASS);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASS);
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = new FileInputStream(ca)) {
      int i = 0;
      for (Certificate c : x509.generateCertificates(in)) trust.setCertificateEntry("ca" + i++, c);
    }
    PKIXBuilderParameters pkix = new PKIXBuilderParameters(trust, new X509CertSelector());
    try (InputStream in = new FileInputStream(crl)) {
      Collection<? extends CRL> crls = x509.generateCRLs(in);
      pkix.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
    }
    pkix.setRevocationEnabled(true);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(new CertPathTrustManagerParameters(pkix));
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void serve(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    SSLContext ctx = context(args[2], args[3], args[4]);
    boolean want = args.length > 5 && args[5].equals("want");
    SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
    server.setEnabledProtocols(PROTOCOLS);
    if (want) server.setWantClientAuth(true);
    else server.setNeedClientAuth(true);
    System.out.println("listening on 127.0.0.1:" + port);
    for (; ; ) {
      Socket s = server.accept();
      Thread t = new Thread(() -> answer((SSLSocket) s));
      t.setDaemon(true);
      t.start();
    }
  }

  private static void answer(SSLSocket s) {
    try (s) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String line = in.readLine();
      if (line == null) return;
      String peer;
      try {
        peer = s.getSession().getPeerPrincipal().getName();
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        peer = "(none)";
      }
      System.out.println("received " + line + " from " + peer);
      OutputStream out = s.getOutputStream();
      out.write(("hello " + line + "\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (Exception e) {
      System.out.println("connection: " + e);
    }
  }

  /** One connection; false (its error printed) when it failed, as the one-shot client's exit 1. */
  private static boolean dial(String host, int port, String name, String ca, String p12, String crl) {
    try {
      SSLContext ctx = context(ca, p12, crl);
      Socket raw = new Socket();
      raw.connect(new InetSocketAddress(host, port), 10_000);
      raw.setSoTimeout(10_000);
      SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(raw, name, port, true);
      SSLParameters params = s.getSSLParameters();
      params.setProtocols(PROTOCOLS);
      params.setEndpointIdentificationAlgorithm("HTTPS");
      boolean ip = name.contains(":") || name.matches("[0-9.]+");
      if (!ip) params.setServerNames(List.of(new SNIHostName(name)));
      s.setSSLParameters(params);
      try (s) {
        s.startHandshake();
        System.out.println("connected to " + s.getSession().getPeerPrincipal().getName());
        OutputStream out = s.getOutputStream();
        out.write("hello from java\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        for (String line; (line = in.readLine()) != null; ) System.out.println(line);
      }
      return true;
    } catch (Exception e) {
      System.out.println("error: " + e);
      return false;
    }
  }

  private static void dialEach(String ca, String p12, String crl) throws Exception {
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = requests.readLine()) != null; ) {
      String[] r = line.trim().split(" ");
      boolean ok = r.length == 3 && dial(r[0], Integer.parseInt(r[1]), r[2], ca, p12, crl);
      if (r.length != 3) System.out.println("error: expected <host> <port> <name>, got " + line);
      System.out.println("mtls-conformance exit " + (ok ? 0 : 1));
      System.out.flush();
    }
  }
}
