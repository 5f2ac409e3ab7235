package io.tributary.broker.protocol;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The subject CN of the certificate a client presented in the TLS handshake. The handshake has verified it
 * against the listener's client CA before any MQTT byte is read, so at CONNECT a certificate here is trusted.
 */
final class CertificateIdentity {
    private CertificateIdentity() {
    }

    /** The CN of the client's certificate; empty without TLS, without a certificate or without a CN. */
    static Optional<String> commonName(Channel channel) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        Certificate[] chain;
        try {
            chain = ssl.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate certificate)) {
            return Optional.empty();
        }
        return commonName(certificate);
    }

    /** The last CN of the subject (the most specific one when there are several). */
    static Optional<String> commonName(X509Certificate certificate) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    cn = rdn.getValue().toString();
                }
            }
            return Optional.ofNullable(cn).filter(name -> !name.isEmpty());
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
