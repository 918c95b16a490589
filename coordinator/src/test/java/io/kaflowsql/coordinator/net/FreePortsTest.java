package io.kaflowsql.coordinator.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FreePortsTest
{
    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreHandedOutOnce()
    {
        int ephemeralLow = FreePorts.ephemeralLow();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ports.add(FreePorts.pick());
        }
        assertThat(ports).hasSize(50);
        if (ephemeralLow > 11_000) {
            assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(10_000, ephemeralLow - 1));
        }
    }

    @Test
    void aPickedPortCanBeBoundOnLoopback()
            throws IOException
    {
        int port = FreePorts.pick();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void pickOtherThanNeverReturnsTheTakenPort()
    {
        int taken = FreePorts.pick();
        for (int i = 0; i < 20; i++) {
            assertThat(FreePorts.pickOtherThan(taken)).isNotEqualTo(taken);
        }
    }
}
