package io.kaflowsql.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A private network for node processes, made with Linux network namespaces ({@code ip netns}, iproute2; needs root):
 * a bridge in this machine's namespace holding {@code 10.213.<run>.1/24} (the broker binds there), and per node a
 * namespace {@code kfp<pid>n<k>} whose veth holds {@code 10.213.<run>.<10+k>}. Nodes start under
 * {@code ip netns exec}. Nothing is routed beyond the subnet: the namespaces have no default route.
 *
 * <p>{@link #cut} partitions the nodes: each side gets a {@code prohibit} (or {@code blackhole}) route per address of
 * the other side, in its own namespace, so no packet goes either way while the broker (and this JVM) stay reachable
 * to everyone; {@link #isolate} also cuts one node off from the bridge address (the broker and this JVM), a node that
 * lost its network; {@link #heal} deletes those routes. {@link #throttleBroker} puts a token-bucket filter
 * ({@code tc qdisc ... tbf}) on the bridge's own egress, which carries what the broker (and this JVM) send to the nodes
 * but not what nodes send each other (bridged frames leave through the member ports), until {@link #unthrottle}. A {@code prohibit} route fails a send at once with EACCES, a
 * {@code blackhole} route with EINVAL; neither sends anything, and established TCP connections see their segments
 * fail to go out (retransmissions) rather than a reset, so a cut looks like a lost network to the peers either way.
 *
 * <p>Names carry the pid of this JVM ({@code kfp<pid>...}); {@link #create} first deletes namespaces and links of
 * that prefix whose pid no longer runs (left by a killed test run), and picks a third octet no local address uses,
 * so parallel runs do not clash. {@link #close} deletes everything this instance created.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class NetworkNamespaces
        implements ClusterNetwork, AutoCloseable
{
    /** The kind of route that cuts the network. */
    enum Cut
    {
        PROHIBIT, BLACKHOLE;

        String routeType()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final String PREFIX = "kfp";
    private static final Pattern OWN_NAME = Pattern.compile("\\b(" + PREFIX + "(\\d+)(?:n\\d+|v\\d+|br))\\b");
    private static final Pattern USED_OCTET = Pattern.compile("inet 10\\.213\\.(\\d+)\\.");

    private final String ip;
    private final String name;
    private final int octet;
    private final int nodes;
    private final List<String> created = new ArrayList<>();
    private final Set<List<String>> cuts = new LinkedHashSet<>();
    private boolean throttled;

    private NetworkNamespaces(String ip, String name, int octet, int nodes)
    {
        this.ip = requireNonNull(ip, "ip is null");
        this.name = requireNonNull(name, "name is null");
        this.octet = octet;
        this.nodes = nodes;
    }

    /**
     * Creates the bridge and one namespace per node ({@code node-1}...{@code node-<nodes>}).
     *
     * @throws AssertionError naming what is missing when this machine cannot make namespaces (no iproute2, not root)
     */
    static NetworkNamespaces create(int nodes)
    {
        String ip = findIp();
        try {
            run(ip, "netns", "list");
        }
        catch (IllegalStateException e) {
            throw missing("iproute2's `ip` cannot run here (" + e.getMessage() + ")");
        }
        deleteStale(ip);
        NetworkNamespaces network = new NetworkNamespaces(ip, PREFIX + ProcessHandle.current().pid(), freeOctet(ip), nodes);
        try {
            network.build();
        }
        catch (IllegalStateException e) {
            network.close();
            throw missing("cannot create network namespaces (" + e.getMessage() + ")");
        }
        return network;
    }

    @Override
    public String brokerHost()
    {
        return "10.213." + octet + ".1";
    }

    @Override
    public String nodeHost(int number)
    {
        checkNode(number);
        return "10.213." + octet + "." + (10 + number);
    }

    @Override
    public List<String> commandPrefix(int number)
    {
        checkNode(number);
        return List.of(ip, "netns", "exec", namespace(number));
    }

    /** Cuts every node of {@code side} off from every node of {@code others}, both ways, with {@code cut} routes. */
    void cut(Set<Integer> side, Set<Integer> others, Cut cut)
    {
        for (int from : side) {
            for (int to : others) {
                addRoute(from, to, cut);
                addRoute(to, from, cut);
            }
        }
    }

    /** Cuts {@code number} off from every other node and from the bridge address (broker, this JVM), both ways between nodes. */
    void isolate(int number, Cut cut)
    {
        for (int other = 1; other <= nodes; other++) {
            if (other != number) {
                addRoute(number, other, cut);
                addRoute(other, number, cut);
            }
        }
        addRoute(number, brokerHost(), cut);
    }

    /**
     * Limits what the bridge sends to the nodes (the broker's responses) to {@code rate} (a tc rate, e.g. {@code 256kbit});
     * packets that wait longer than {@code maxQueueMillis} are dropped, and TCP sends them again.
     */
    void throttleBroker(String rate, int maxQueueMillis)
    {
        run("tc", "qdisc", "add", "dev", bridge(), "root", "tbf", "rate", rate, "burst", "16kb", "latency", maxQueueMillis + "ms");
        throttled = true;
    }

    void unthrottle()
    {
        if (throttled) {
            run("tc", "qdisc", "del", "dev", bridge(), "root");
            throttled = false;
        }
    }

    /** Deletes every route {@link #cut} and {@link #isolate} added. */
    void heal()
    {
        for (List<String> route : List.copyOf(cuts)) {
            List<String> command = new ArrayList<>(route);
            command.set(command.indexOf("add"), "del");
            run(command.toArray(String[]::new));
            cuts.remove(route);
        }
    }

    private void addRoute(int from, int to, Cut cut)
    {
        addRoute(from, nodeHost(to), cut);
    }

    private void addRoute(int from, String address, Cut cut)
    {
        List<String> command = List.of(ip, "-n", namespace(from), "route", "add", cut.routeType(), address + "/32");
        if (cuts.add(command)) {
            run(command.toArray(String[]::new));
        }
    }

    private String bridge()
    {
        return name + "br";
    }

    private void build()
    {
        String bridge = bridge();
        create(List.of(ip, "link", "del", bridge), ip, "link", "add", bridge, "type", "bridge");
        run(ip, "addr", "add", brokerHost() + "/24", "dev", bridge);
        run(ip, "link", "set", bridge, "up");
        for (int number = 1; number <= nodes; number++) {
            String namespace = namespace(number);
            String outside = name + "v" + number;
            String inside = name + "e" + number;
            create(List.of(ip, "netns", "del", namespace), ip, "netns", "add", namespace);
            create(List.of(ip, "link", "del", outside), ip, "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", namespace);
            run(ip, "link", "set", outside, "master", bridge);
            run(ip, "link", "set", outside, "up");
            run(ip, "-n", namespace, "addr", "add", nodeHost(number) + "/24", "dev", inside);
            run(ip, "-n", namespace, "link", "set", inside, "up");
            run(ip, "-n", namespace, "link", "set", "lo", "up");
        }
    }

    /** Runs {@code command} and remembers {@code undo} for {@link #close}. */
    private void create(List<String> undo, String... command)
    {
        run(command);
        created.add(0, String.join(" ", undo));
    }

    private String namespace(int number)
    {
        return name + "n" + number;
    }

    private void checkNode(int number)
    {
        if (number < 1 || number > nodes) {
            throw new IllegalArgumentException("no node-" + number + " in a network of " + nodes + " nodes");
        }
    }

    /** Deletes the namespaces (their veth ends go with them), the veths and the bridge; reports what it could not delete. */
    @Override
    public void close()
    {
        try {
            unthrottle();
        }
        catch (IllegalStateException e) {
            System.out.println("[network] could not remove the throttle: " + e.getMessage());
        }
        for (String undo : created) {
            try {
                run(undo.split(" "));
            }
            catch (IllegalStateException e) {
                System.out.println("[network] could not undo: " + e.getMessage());
            }
        }
        created.clear();
        cuts.clear();
    }

    private static void deleteStale(String ip)
    {
        Set<String> stale = new LinkedHashSet<>();
        collectStale(run(ip, "netns", "list"), stale);
        collectStale(run(ip, "-o", "link", "show"), stale);
        for (String leftover : stale) {
            String[] command = leftover.matches(".*n\\d+") ? new String[] {ip, "netns", "del", leftover} : new String[] {ip, "link", "del", leftover};
            try {
                run(command);
                System.out.println("[network] deleted " + leftover + ", left by a test run that no longer runs");
            }
            catch (IllegalStateException e) {
                // a veth goes with its namespace; deleted already
            }
        }
    }

    private static void collectStale(String listing, Set<String> stale)
    {
        Matcher matcher = OWN_NAME.matcher(listing);
        while (matcher.find()) {
            long pid = Long.parseLong(matcher.group(2));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            stale.add(matcher.group(1));
        }
    }

    /** A third octet for {@code 10.213.<octet>.0/24} that no address of this machine uses, starting at one derived from the pid. */
    private static int freeOctet(String ip)
    {
        Set<Integer> used = new HashSet<>();
        Matcher matcher = USED_OCTET.matcher(run(ip, "-o", "-4", "addr", "show"));
        while (matcher.find()) {
            used.add(Integer.parseInt(matcher.group(1)));
        }
        int start = (int) (ProcessHandle.current().pid() % 250);
        for (int i = 0; i < 250; i++) {
            int octet = 1 + (start + i) % 250;
            if (!used.contains(octet)) {
                return octet;
            }
        }
        throw new IllegalStateException("every subnet 10.213.1-250.0/24 is in use on this machine");
    }

    private static String findIp()
    {
        for (String candidate : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw missing("no `ip` command (install iproute2: apt-get install -y iproute2)");
    }

    private static AssertionError missing(String what)
    {
        return new AssertionError("Network faults need Linux network namespaces: run as root with iproute2 installed "
                + "(CI does; .ci/run installs iproute2 when `ip` is missing). Problem: " + what);
    }

    private static String run(String... command)
    {
        return HostCommands.run(command);
    }
}
