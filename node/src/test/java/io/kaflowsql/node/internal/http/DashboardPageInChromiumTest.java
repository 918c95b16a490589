package io.kaflowsql.node.internal.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard page in headless Chromium against fixed figures: what each table shows, and the banner when the node does not answer. */
class DashboardPageInChromiumTest
{
    private static final Duration BUDGET = Duration.ofSeconds(3);

    @TempDir
    Path scratch;
    private NodeHttpServer server;

    @AfterEach
    void stop()
    {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void rendersNodesAssignmentPipelinesAndJoinsFromTheFigures()
            throws Exception
    {
        HeadlessChromium chromium = HeadlessChromium.installed(scratch);
        server = NodeHttpServer.start(0, () -> true, () -> "");
        DashboardEndpoint.register(server, DashboardEndpointTest::sample, System::nanoTime);

        String dom = chromium.dumpDom("http://127.0.0.1:" + server.port() + "/", BUDGET);

        assertThat(HeadlessChromium.values(dom, "node-id")).containsExactly("node-a", "node-b");
        assertThat(HeadlessChromium.values(dom, "node-state")).containsExactly("READY", "BOOTSTRAPPING");
        assertThat(HeadlessChromium.cells(dom, "node-id").get(1)).contains("no answer");
        assertThat(HeadlessChromium.cells(dom, "task-owner")).containsExactly("node-a", "node-b");
        assertThat(HeadlessChromium.cells(dom, "task-standbys")).containsExactly("–", "node-a");
        assertThat(HeadlessChromium.cells(dom, "pipeline-name")).containsExactly("orders");
        assertThat(HeadlessChromium.cells(dom, "records-out")).containsExactly("1,234,567");
        assertThat(HeadlessChromium.cells(dom, "out-per-second")).containsExactly("120.3");
        assertThat(HeadlessChromium.cells(dom, "latency")).containsExactly("5.00 / 20 / 49 ms");
        assertThat(HeadlessChromium.cells(dom, "held-now")).containsExactly("4");
        assertThat(HeadlessChromium.cells(dom, "hit-rate")).containsExactly("75.0 %", "–");
        assertThat(dom).contains("generation 7").containsPattern("updated \\d\\d:\\d\\d:\\d\\d");
        assertThat(dom).containsPattern("<div id=\"banner\" class=\"banner\" hidden=\"\">");
    }

    @Test
    void showsABannerWhenTheNodeCannotAnswer()
            throws Exception
    {
        HeadlessChromium chromium = HeadlessChromium.installed(scratch);
        server = NodeHttpServer.start(0, () -> true, () -> "");
        DashboardEndpoint.register(server, () -> {
            throw new IllegalStateException("coordinator closed");
        }, System::nanoTime);

        String dom = chromium.dumpDom("http://127.0.0.1:" + server.port() + "/", BUDGET);

        assertThat(dom).containsPattern("<div id=\"banner\" class=\"banner\">Cannot reach the node at 127\\.0\\.0\\.1:\\d+ since \\d\\d:\\d\\d:\\d\\d \\(HTTP 503");
        assertThat(dom).contains("coordinator closed", "<main id=\"main\" class=\"stale\">", "waiting for the node");
    }
}
