"""Key- and truststores behind one model: JKS, JCEKS (read), PKCS#12, PEM and DER."""
