package io.kaflowsql.node.internal.admin;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Lets a call through the node's gRPC server only with {@code authorization: Bearer <admin.token>}. Without a
 * configured token every admin call is refused (the admin API is off) while node-to-node state transfer stays
 * open, so clusters configured before the admin API keep working; with a token, both need it.
 *
 * <p>Tokens are compared in constant time ({@link MessageDigest#isEqual} over SHA-256 digests, so not even the
 * length leaks). A refused call is answered {@code UNAUTHENTICATED} and logged with its method and peer address,
 * never with the token it sent.
 *
 * <p>Thread-safe (immutable).
 */
public final class AuthInterceptor
        implements ServerInterceptor
{
    private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);

    private final Optional<byte[]> tokenDigest;

    public AuthInterceptor(Optional<String> token)
    {
        this.tokenDigest = requireNonNull(token, "token is null").map(AuthInterceptor::digest);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next)
    {
        boolean admin = AdminGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName());
        if (tokenDigest.isEmpty()) {
            if (!admin) {
                return next.startCall(call, headers);
            }
            return refuse(call, "this node has no admin token configured, so its admin API is disabled: set admin.token "
                    + "(or admin.token-file, or KAFLOWSQL_ADMIN_TOKEN) on the node and restart it");
        }
        String header = headers.get(BearerToken.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BearerToken.SCHEME, 0, BearerToken.SCHEME.length())) {
            return refuse(call, "no bearer token: pass --token or set KAFLOWSQL_ADMIN_TOKEN");
        }
        byte[] sent = digest(header.substring(BearerToken.SCHEME.length()).strip());
        if (!MessageDigest.isEqual(sent, tokenDigest.get())) {
            return refuse(call, "wrong token: use the admin.token configured on the node");
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String reason)
    {
        log.warn("Refused {} from {}: {}", call.getMethodDescriptor().getFullMethodName(), call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                reason);
        call.close(Status.UNAUTHENTICATED.withDescription(reason), new Metadata());
        return new ServerCall.Listener<>() {};
    }

    private static byte[] digest(String token)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
