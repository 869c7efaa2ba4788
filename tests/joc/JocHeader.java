// JOC's login header round trip for a certificate login, with the code of sos-components
// (commit bd6773408b5cbdc98daa007f777e722dea398f9d, SOSServicePermissionIam.java): login()
// (line 1116) builds the Basic header from the account with (account + ":" + pwd).getBytes() -
// the JVM's default charset - and getUserFromHeaderOrQuery() (lines 702-731) decodes it as
// UTF-8 and cuts the account at the first ':'; SOSAuthHelper.checkCertificate then compares
// it with the CN.
// Usage: java [-Dfile.encoding=CHARSET] JocHeader.java ACCOUNTS_FILE (UTF-8, one per line)
// Prints per account: the default charset, whether JOC's account still equals the CN, and the
// UTF-8 hex of the account JOC reads back.
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.HexFormat;

public class JocHeader {
    public static void main(String[] args) throws Exception {
        for (String cn : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
            String account = cn; // sosLoginParameters.setAccount(getClientCertCN())
            String pwd = "";
            String basicAuthorization = "Basic "
                    + Base64.getEncoder().encodeToString((account + ":" + pwd).getBytes());
            String authorization = "";
            String[] authorizationParts = basicAuthorization.split(" ");
            if (authorizationParts.length > 1) {
                authorization = new String(Base64.getDecoder().decode(
                        authorizationParts[1].getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            }
            int idx = authorization.indexOf(':');
            if (idx == -1) {
                if (!basicAuthorization.isEmpty()) {
                    account = authorization;
                }
            } else {
                account = authorization.substring(0, idx);
            }
            System.out.println(Charset.defaultCharset().name() + " " + cn.equals(account) + " "
                    + HexFormat.of().formatHex(account.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
