package io.kaflowsql.coordinator.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free TCP ports on 127.0.0.1 for servers whose port must be known before they start: the
 * broker's controller port is part of {@code controller.quorum.voters}, and every cluster member's
 * port is in the members list the others dial.
 *
 * <p>Ports come from below the kernel's ephemeral range. A port from inside it (what binding port 0
 * returns) can be taken before its server binds it, by the outgoing connection of a client that
 * is already dialing it: on loopback, a connect to a port nobody listens on can get that very port
 * as its source and connect to itself. Cluster members dial the not yet started members many times
 * a second, so that happened in CI. A port below the range is never a source port.
 *
 * <p>A port is handed out once per JVM. Another process can still take it before it is bound; that
 * shows up as a clear bind error.
 */
public final class FreePorts
{
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {}

    public static int pick()
    {
        int ephemeralLow = ephemeralLow();
        if (ephemeralLow - LOWEST < 1_000) {
            return pickEphemeral();
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, ephemeralLow);
            if (!HANDED_OUT.contains(port) && canBind(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        return pickEphemeral();
    }

    public static int pickOtherThan(int taken)
    {
        int port = pick();
        while (port == taken) {
            port = pick();
        }
        return port;
    }

    /** The low end of the kernel's ephemeral port range; the Linux default where it cannot be read. */
    static int ephemeralLow()
    {
        try {
            List<String> lines = Files.readAllLines(EPHEMERAL_RANGE);
            return Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
        }
        catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean canBind(int port)
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int pickEphemeral()
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on 127.0.0.1", e);
        }
    }
}
