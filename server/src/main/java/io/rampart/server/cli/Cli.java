package io.rampart.server.cli;

import io.rampart.common.RampartException;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The {@code rampart} command line: the node ({@code server}) and the verbs that drive a running node. */
@Command(name = "rampart", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "rampart 0.1.0",
        description = "Rampart: a self-hosted IoT platform that AWS IoT devices, SDKs and the AWS CLI work with unchanged.",
        subcommands = {HelpCommand.class, ServerCommand.class, DeviceCommand.class, ThingCommand.class,
                CertCommand.class, PolicyCommand.class, AccessKeyCommand.class, TrailCommand.class})
public final class Cli extends Group {

    /** Exit code of a verb whose call failed (the node answered an error, or could not be reached). */
    public static final int FAILED = 1;

    /**
     * The command line with its error handling: failures print {@code error: <AWS error type>: <message>} and exit
     * non-zero, never a stack trace.
     *
     * @param environment the process environment ({@code server} reads {@code RAMPART_KEY_SECRET} from it)
     */
    public static CommandLine commandLine(Map<String, String> environment) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ServerCommand.class ? type.cast(new ServerCommand(environment)) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Cli(), factory);
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println("error: " + describe(failure));
            line.getErr().flush();
            return FAILED;
        });
        return commandLine;
    }

    /** One line naming what went wrong, with the AWS error type when the node answered one. */
    static String describe(Throwable failure) {
        String described = switch (failure) {
            case AwsServiceException aws when aws.awsErrorDetails() != null ->
                    aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
            case ApiError api -> api.errorType() + ": " + api.getMessage();
            case RampartException rampart -> rampart.type().awsName() + ": " + rampart.getMessage();
            case SdkClientException client -> "cannot reach the node: " + client.getMessage();
            case UncheckedIOException io -> io.getMessage() + (io.getCause() == null ? "" : " (" + io.getCause().getMessage() + ")");
            case IllegalArgumentException invalid -> invalid.getMessage();
            default -> failure.getClass().getSimpleName() + ": " + failure.getMessage();
        };
        StringBuilder line = new StringBuilder(described);
        for (Throwable suppressed : failure.getSuppressed()) {
            line.append("\n  while undoing: ").append(describe(suppressed));
        }
        return line.toString();
    }
}
