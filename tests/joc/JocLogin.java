// JOC's login decision for a certificate and an account, with the code of sos-components
// (commit bd6773408b5cbdc98daa007f777e722dea398f9d): the CN as ClientCertificateHandler reads
// it, then SOSAuthHelper.checkCertificate (exact match, then notBefore/notAfter against now).
// Usage: java JocLogin.java NOW_EPOCH_MS FILE.der ACCOUNT [FILE.der ACCOUNT]...
// Prints one line per pair: true or false.
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.naming.ldap.LdapName;

public class JocLogin {
    public static void main(String[] args) throws Exception {
        long now = Long.parseLong(args[0]);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (int i = 1; i + 1 < args.length; i += 2) {
            X509Certificate cert;
            try (FileInputStream in = new FileInputStream(args[i])) {
                cert = (X509Certificate) cf.generateCertificate(in);
            }
            String account = args[i + 1];
            String[] clientCN = {null};
            LdapName ldapName = new LdapName(cert.getSubjectX500Principal().getName());
            ldapName.getRdns().stream().filter(rdn -> rdn.getType().equalsIgnoreCase("CN")).findFirst()
                    .ifPresent(o -> clientCN[0] = o.getValue().toString());
            long notAfter = cert.getNotAfter().getTime();
            long notBefore = cert.getNotBefore().getTime();
            boolean success = false;
            if (clientCN[0] != null) {
                success = (account.isEmpty() || clientCN[0].equals(account));
            }
            if (success) {
                if (now < notBefore && notBefore != 0) {
                    success = false;
                } else if (now > notAfter && notAfter != 0) {
                    success = false;
                }
            }
            System.out.println(success);
        }
    }
}
