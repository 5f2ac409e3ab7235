package io.tributary.app;

/** The entry point of the {@code tributary} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(TributaryCommand.commandLine(System.getenv()).execute(args));
    }
}
