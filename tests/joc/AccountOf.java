// The account JOC reads from a client certificate, with JOC's own code
// (sos-berlin/sos-components @ bd6773408b, sos-webservices/sos-webservices-joc-global/src/main/
// java/com/sos/auth/client/ClientCertificateHandler.java lines 62-65), run on real Java.
// Usage: java AccountOf.java CERT.der...  -> one line per certificate: the account or "<none>".
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.naming.ldap.LdapName;

public class AccountOf {
    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        for (String file : args) {
            try (FileInputStream in = new FileInputStream(file)) {
                X509Certificate cert = (X509Certificate) cf.generateCertificate(in);
                String subjectDN = cert.getSubjectX500Principal().getName();
                String[] clientCN = {null};
                LdapName ldapName = new LdapName(subjectDN);
                ldapName.getRdns().stream().filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .findFirst().ifPresent(o -> clientCN[0] = o.getValue().toString());
                System.out.println(clientCN[0] == null ? "<none>" : "[" + clientCN[0] + "]");
            }
        }
    }
}
