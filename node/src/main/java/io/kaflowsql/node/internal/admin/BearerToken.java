package io.kaflowsql.node.internal.admin;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import static java.util.Objects.requireNonNull;

/**
 * Adds {@code authorization: Bearer <token>} to every call of a channel: the CLI's admin calls, the calls a node
 * forwards to a peer and node-to-node state transfer. {@link #toString()} never shows the token.
 *
 * <p>Thread-safe (immutable).
 */
public final class BearerToken
        implements ClientInterceptor
{
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String SCHEME = "Bearer ";

    private final String token;

    public BearerToken(String token)
    {
        this.token = requireNonNull(token, "token is null").strip();
        if (this.token.isEmpty()) {
            throw new IllegalArgumentException("token is blank");
        }
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next)
    {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options))
        {
            @Override
            public void start(Listener<R> listener, Metadata headers)
            {
                headers.put(AUTHORIZATION, SCHEME + token);
                super.start(listener, headers);
            }
        };
    }

    @Override
    public String toString()
    {
        return "BearerToken[***]";
    }
}
