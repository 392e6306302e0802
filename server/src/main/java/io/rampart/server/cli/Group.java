package io.rampart.server.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A noun that only groups verbs ({@code rampart thing ...}): run alone, it says which verbs exist. */
abstract class Group implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "give a verb: " + String.join(", ", spec.subcommands().keySet()));
    }
}
