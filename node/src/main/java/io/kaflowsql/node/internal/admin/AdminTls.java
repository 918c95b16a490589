package io.kaflowsql.node.internal.admin;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.kaflowsql.node.config.NodeConfig.AdminSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * TLS of the admin port from {@code admin.tls.*}: the server side (certificate chain and key, PEM) and the side of
 * a node calling its peers (trusting {@code admin.tls.trust-file}, default the certificate itself). Plaintext when
 * no certificate is configured. The peer's host name (or IP) is verified against the certificate's subject
 * alternative names, so the certificate must name the addresses nodes advertise ({@code cluster.host}).
 */
public final class AdminTls
{
    private AdminTls() {}

    public static ServerCredentials server(AdminSettings settings)
    {
        if (!settings.tls()) {
            return InsecureServerCredentials.create();
        }
        Path cert = settings.tlsCertFile().orElseThrow();
        Path key = settings.tlsKeyFile().orElseThrow();
        try {
            return TlsServerCredentials.create(cert.toFile(), key.toFile());
        }
        catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("admin.tls: cannot use certificate " + cert + " with key " + key
                    + " (both PEM; the key in PKCS#8): " + e.getMessage(), e);
        }
    }

    /** Credentials for calling a peer's admin port: TLS trusting {@code trustFile}, or plaintext without one. */
    public static ChannelCredentials client(java.util.Optional<Path> trustFile)
    {
        if (trustFile.isEmpty()) {
            return InsecureChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(trustFile.get().toFile()).build();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted certificates " + trustFile.get() + ": " + e.getMessage(), e);
        }
    }

    /** Credentials a node uses to call its peers. */
    public static ChannelCredentials peers(AdminSettings settings)
    {
        return settings.tls() ? client(settings.trustFile()) : InsecureChannelCredentials.create();
    }
}
