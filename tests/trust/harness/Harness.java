// Judges client certificate chains as Jetty's server-side trust manager does: the JDK's PKIX
// validator (what TrustManagerFactory "PKIX"/"SunX509" gives X509TrustManagerImpl) in the
// TLS-client variant, over a PKCS12 truststore of the case's roots, at the case's date.
// Input (stdin), one line per case: ID <tab> epoch-seconds <tab> roots <tab> sent-chain,
// where roots and sent-chain are comma-separated base64 DER (chain: leaf first).
// Output, one line per case: ID <tab> ACCEPT|REJECT <tab> reason <tab> message.
// Run: java --add-exports java.base/sun.security.validator=ALL-UNNAMED Harness.java < cases
// An argument "generic" uses the validator's generic variant: the same path building and
// validation, but no check of the leaf's KeyUsage / ExtendedKeyUsage (EndEntityChecker).
import java.io.*;
import java.security.KeyStore;
import java.security.cert.*;
import java.util.*;
import sun.security.validator.Validator;

public class Harness {
    static X509Certificate parse(CertificateFactory cf, String b64) throws CertificateException {
        byte[] der = Base64.getDecoder().decode(b64);
        return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    }

    static String variant = Validator.VAR_TLS_CLIENT;

    static String judge(CertificateFactory cf, String[] f) {
        List<X509Certificate> roots = new ArrayList<>();
        for (String b : f[2].split(",")) {
            if (b.isEmpty()) continue;
            try { roots.add(parse(cf, b)); } catch (Exception e) { /* keytool cannot import it */ }
        }
        List<X509Certificate> sent = new ArrayList<>();
        try {
            for (String b : f[3].split(",")) if (!b.isEmpty()) sent.add(parse(cf, b));
        } catch (Exception e) {
            return "REJECT\tPARSE\t" + oneLine(e);
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate r : roots) ks.setCertificateEntry("r" + (i++), r);
            if (ks.size() == 0) return "REJECT\tNO_ANCHORS\tno trust anchors";
            PKIXBuilderParameters p = new PKIXBuilderParameters(ks, new X509CertSelector());
            p.setRevocationEnabled(false);
            p.setDate(new Date(Long.parseLong(f[1]) * 1000L));
            Validator v = Validator.getInstance(Validator.TYPE_PKIX, variant, p);
            v.validate(sent.toArray(new X509Certificate[0]), null, Collections.emptyList(), null, "RSA");
            return "ACCEPT\t-\t-";
        } catch (CertificateException e) {
            Throwable c = e.getCause();
            String reason = "OTHER";
            if (c instanceof CertPathValidatorException) {
                reason = "CPV_" + ((CertPathValidatorException) c).getReason();
            } else if (c instanceof CertPathBuilderException) {
                reason = "NO_PATH";
            } else if (e.getMessage() != null && e.getMessage().contains("TrustAnchor with subject")) {
                reason = "ANCHOR_NOT_CA";
            } else if (e.getMessage() != null && e.getMessage().contains("Extended key usage")) {
                reason = "EKU";
            } else if (e.getMessage() != null && e.getMessage().contains("KeyUsage")) {
                reason = "KU";
            }
            return "REJECT\t" + reason + "\t" + oneLine(e);
        } catch (RuntimeException e) {
            // e.g. UnsupportedOperationException for an otherName constraint: the handshake fails
            return "REJECT\tCRASH\t" + oneLine(e);
        } catch (Exception e) {
            return "REJECT\tOTHER\t" + oneLine(e);
        }
    }

    static String oneLine(Throwable e) {
        StringBuilder s = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable c = e.getCause(); c != null; c = c.getCause())
            s.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        return s.toString().replaceAll("[\\t\\r\\n]", " ");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("generic")) variant = Validator.VAR_GENERIC;
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            if (f.length < 4) continue;
            out.println(f[0] + "\t" + judge(cf, f));
        }
        out.flush();
    }
}
