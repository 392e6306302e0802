package io.rampart.server;

import io.rampart.server.cli.Cli;

/** The {@code rampart} command: {@code bin/rampart} runs this class. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.commandLine(System.getenv()).execute(args));
    }
}
