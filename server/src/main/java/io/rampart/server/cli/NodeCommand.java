package io.rampart.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A verb that talks to a running node: connection options, {@code --json}, and one call to {@link #run}. */
abstract class NodeCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Option(names = "--json", description = "Print one JSON document instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try (NodeConnection node = connection.connect()) {
            return run(node, new Output(spec.commandLine().getOut(), json));
        }
    }

    /** Does the verb's work and returns the exit code. */
    abstract int run(NodeConnection node, Output out);
}
