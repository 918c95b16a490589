package io.kaflowsql.node.cli;

import com.google.protobuf.Message;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kaflowsql.node.config.NodeConfigLoader;
import io.kaflowsql.node.internal.admin.AdminTls;
import io.kaflowsql.node.internal.admin.BearerToken;
import io.kaflowsql.protocol.admin.v1.AdminGrpc;
import io.kaflowsql.protocol.admin.v1.PipelineProblem;
import io.kaflowsql.protocol.admin.v1.PipelineProblems;
import io.grpc.protobuf.ProtoUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code kaflowsql admin --server host:port --token T <command>}: the admin API from the command line. Tables by
 * default, {@code --output json} for scripts. Exit codes (stable, for scripts):
 * <ul>
 *   <li>{@value #OK} done; {@value #FAILED} any other failure; {@value #USAGE} bad command line;</li>
 *   <li>{@value #UNAUTHENTICATED} no or wrong token; {@value #NOT_FOUND} no such pipeline or node;</li>
 *   <li>{@value #INVALID} invalid argument or pipeline; {@value #UNAVAILABLE} node unreachable or busy (retry);</li>
 *   <li>{@value #FAILED_PRECONDITION} the node cannot do it now (standalone node, catalog not available);</li>
 *   <li>{@value #NOT_DRAINED} a drain ended with tasks still on the node.</li>
 * </ul>
 * The token comes from {@code --token} or the environment variable {@code KAFLOWSQL_ADMIN_TOKEN} (which keeps it
 * out of {@code ps}).
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Administer a running cluster through any node's admin port.",
        subcommands = {
                AdminSubcommands.Status.class,
                AdminSubcommands.Assignment.class,
                AdminSubcommands.Pipelines.class,
                AdminSubcommands.Describe.class,
                AdminSubcommands.Validate.class,
                AdminSubcommands.Deploy.class,
                AdminSubcommands.Pause.class,
                AdminSubcommands.Resume.class,
                AdminSubcommands.Delete.class,
                AdminSubcommands.Drain.class,
                AdminSubcommands.Rebalance.class,
                AdminSubcommands.Checkpoint.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done", "1:other failure", "2:bad command line", "3:unauthenticated (no or wrong token)", "4:no such pipeline or node",
                "5:invalid argument or pipeline", "6:node unavailable (retry)", "7:failed precondition (the node cannot do it now)",
                "8:drain ended with tasks still on the node"})
public final class AdminCommand
{
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNAUTHENTICATED = 3;
    public static final int NOT_FOUND = 4;
    public static final int INVALID = 5;
    public static final int UNAVAILABLE = 6;
    public static final int FAILED_PRECONDITION = 7;
    public static final int NOT_DRAINED = 8;

    private static final PipelineProblems DEFAULT_PROBLEMS = PipelineProblems.getDefaultInstance();

    /** What {@code --output} accepts. */
    public enum Output
    {
        TABLE, JSON
    }

    @Option(names = "--server", defaultValue = "localhost:9090", description = "Admin address (host:port) of any node. Default: ${DEFAULT-VALUE}.")
    String server;

    @Option(names = "--token", description = "Admin token of the cluster (default: environment variable KAFLOWSQL_ADMIN_TOKEN).")
    String token;

    @Option(names = "--output", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    Output output;

    @Option(names = "--tls", description = "Connect with TLS (trusting the JVM's CAs, or --tls-trust).")
    boolean tls;

    @Option(names = "--tls-trust", paramLabel = "PEM", description = "Certificates to trust (PEM), e.g. the nodes' certificate; implies --tls.")
    Path tlsTrust;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Deadline of each call. Default: ${DEFAULT-VALUE} s.")
    long timeoutSeconds;

    @Spec
    CommandSpec spec;

    private Map<String, String> environment = System.getenv();

    /** Reads the token from {@code environment} instead of the process environment (tests). */
    public void useEnvironment(Map<String, String> environment)
    {
        this.environment = Map.copyOf(environment);
    }

    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    PrintWriter err()
    {
        return spec.commandLine().getErr();
    }

    boolean json()
    {
        return output == Output.JSON;
    }

    /** Calls the server and renders the answer (JSON, or {@code table}); maps a failure to its exit code. */
    <T extends Message> int call(Function<AdminGrpc.AdminBlockingStub, T> call, Consumer<T> table)
    {
        return withStub(stub -> {
            T answer = call.apply(stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS));
            if (json()) {
                out().println(ProtoJson.write(answer));
            }
            else {
                table.accept(answer);
            }
            return OK;
        });
    }

    /** Runs {@code action} with a stub to the server (no deadline: the action sets its own); maps a failure to its exit code. */
    int withStub(Function<AdminGrpc.AdminBlockingStub, Integer> action)
    {
        Optional<String> secret = Optional.ofNullable(token).or(() -> Optional.ofNullable(environment.get(NodeConfigLoader.ADMIN_TOKEN)))
                .filter(value -> !value.isBlank());
        if (secret.isEmpty()) {
            err().println("No admin token: pass --token or set " + NodeConfigLoader.ADMIN_TOKEN);
            err().flush();
            return UNAUTHENTICATED;
        }
        ManagedChannel channel = Grpc.newChannelBuilder(server, credentials()).intercept(new BearerToken(secret.get())).build();
        try {
            return action.apply(AdminGrpc.newBlockingStub(channel));
        }
        catch (StatusRuntimeException e) {
            return fail(e);
        }
        finally {
            out().flush();
            err().flush();
            channel.shutdownNow();
        }
    }

    private ChannelCredentials credentials()
    {
        if (tlsTrust != null) {
            return AdminTls.client(Optional.of(tlsTrust));
        }
        return tls ? io.grpc.TlsChannelCredentials.create() : InsecureChannelCredentials.create();
    }

    private int fail(StatusRuntimeException e)
    {
        Status status = e.getStatus();
        PrintWriter err = err();
        err.println(status.getCode() + ": " + (status.getDescription() == null ? "(no message)" : status.getDescription()));
        PipelineProblems problems = Optional.ofNullable(Status.trailersFromThrowable(e))
                .map(trailers -> trailers.get(ProtoUtils.keyForProto(DEFAULT_PROBLEMS)))
                .orElse(DEFAULT_PROBLEMS);
        if (!problems.getProblemsList().isEmpty()) {
            if (json()) {
                out().println(ProtoJson.write(problems));
            }
            else {
                for (PipelineProblem problem : problems.getProblemsList()) {
                    err.println("  " + location(problem) + problem.getMessage());
                }
            }
        }
        if (status.getCode() == Status.Code.UNAVAILABLE && status.getCause() != null) {
            err.println("  cannot reach " + server + ": is a node listening there (admin.port), with " + (tls || tlsTrust != null ? "TLS" : "plaintext") + "?");
        }
        return exitCode(status.getCode());
    }

    static String location(PipelineProblem problem)
    {
        StringBuilder text = new StringBuilder(problem.getFile());
        if (problem.getLine() > 0) {
            text.append(':').append(problem.getLine());
            if (problem.getColumn() > 0) {
                text.append(':').append(problem.getColumn());
            }
        }
        text.append(": ");
        if (!problem.getKey().isEmpty()) {
            text.append(problem.getKey()).append(": ");
        }
        return text.toString();
    }

    static int exitCode(Status.Code code)
    {
        return switch (code) {
            case OK -> OK;
            case UNAUTHENTICATED, PERMISSION_DENIED -> UNAUTHENTICATED;
            case NOT_FOUND -> NOT_FOUND;
            case INVALID_ARGUMENT -> INVALID;
            case UNAVAILABLE, DEADLINE_EXCEEDED -> UNAVAILABLE;
            case FAILED_PRECONDITION -> FAILED_PRECONDITION;
            default -> FAILED;
        };
    }
}
