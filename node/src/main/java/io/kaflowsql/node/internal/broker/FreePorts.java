package io.kaflowsql.node.internal.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Finds free TCP ports on 127.0.0.1. The broker's controller port must be known before the broker
 * starts (it is part of {@code controller.quorum.voters}), so it cannot simply be bound as port 0.
 * A port found here could be taken by another process before Kafka binds it; that race is accepted
 * for a demo/test broker and shows up as a clear bind error.
 */
public final class FreePorts
{
    private FreePorts() {}

    public static int pick()
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }

    static int pickOtherThan(int taken)
    {
        int port = pick();
        while (port == taken) {
            port = pick();
        }
        return port;
    }
}
