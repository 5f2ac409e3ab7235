package io.tributary.app;

import io.tributary.broker.auth.PasswordHash;
import io.tributary.storage.OwnerOnlyFiles;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tributary passwd FILE USER}: adds or changes a user of a password file in Mosquitto's format (read by
 * {@code broker.auth.password-file} and by Mosquitto itself), or deletes one with {@code -D}. The password never
 * comes from the command line, where {@code ps} and the shell history would show it: it is asked twice on a
 * terminal, or read as one line of standard input ({@code echo "$PW" | tributary passwd FILE USER}).
 *
 * <p>The file is replaced whole (written aside, then moved over it), so a broker re-reading it never sees half
 * of it. A new file is readable by its owner only; an existing one keeps its permissions. Other lines,
 * comments included, are kept as they are.
 */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = {"Adds or changes a user in a password file (creating the file), or deletes one with -D.",
            "The password is asked twice on a terminal, or read as one line of standard input: "
                    + "echo \"$PW\" | tributary passwd FILE USER"})
final class PasswdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The password file; created if missing.")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
    String user;

    @Option(names = {"-D", "--delete"}, description = "Delete the user instead.")
    boolean delete;

    @Option(names = "--iterations", paramLabel = "N",
            description = "PBKDF2 iterations of the new hash (default: ${DEFAULT-VALUE}; Mosquitto writes 101). "
                    + "More resist guessing from a stolen file longer, and cost more CPU at every CONNECT.")
    int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Override
    public Integer call() {
        String problem = userProblem(user);
        if (problem != null) {
            return fail(problem, TributaryCommand.USAGE);
        }
        if (iterations < 1 || iterations > PasswordHash.MAX_ITERATIONS) {
            return fail("--iterations must be 1-" + PasswordHash.MAX_ITERATIONS, TributaryCommand.USAGE);
        }
        try {
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8)
                    : new ArrayList<>();
            int index = lineOf(lines, user);
            if (delete) {
                if (index < 0) {
                    return fail("no user '" + user + "' in " + file, TributaryCommand.FAILED);
                }
                lines.remove(index);
                replace(lines);
                spec.commandLine().getOut().println("deleted user '" + user + "' from " + file);
                return TributaryCommand.OK;
            }
            byte[] password = readPassword();
            if (password == null) {
                return TributaryCommand.FAILED;
            }
            String line = user + ":" + PasswordHash.pbkdf2(password, iterations).format();
            Arrays.fill(password, (byte) 0);
            if (index < 0) {
                lines.add(line);
            } else {
                lines.set(index, line);
            }
            replace(lines);
            spec.commandLine().getOut().println((index < 0 ? "added user '" : "changed the password of '") + user
                    + "' in " + file);
            return TributaryCommand.OK;
        } catch (IOException e) {
            return fail(file + ": " + e.getMessage(), TributaryCommand.FAILED);
        }
    }

    /** What is wrong with {@code name} as a user of the file, or null. */
    static String userProblem(String name) {
        if (name.isEmpty()) {
            return "the user name is empty";
        }
        if (name.indexOf(':') >= 0) {
            return "a user name cannot contain ':' (it separates user and hash in the file)";
        }
        if (!name.strip().equals(name) || name.startsWith("#")) {
            return "a user name cannot start with '#' or start or end with white space";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "a user name cannot contain control characters";
        }
        return name.getBytes(StandardCharsets.UTF_8).length > 65_535 ? "a user name is at most 65535 bytes" : null;
    }

    private static int lineOf(List<String> lines, String name) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(name + ":")) {
                return i;
            }
        }
        return -1;
    }

    /** The new password as UTF-8, or null (reported) when none could be read. */
    private byte[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password for %s: ", user);
            char[] second = first == null ? null : console.readPassword("Again: ");
            if (first == null || second == null) {
                fail("no password entered", 0);
                return null;
            }
            boolean same = Arrays.equals(first, second);
            Arrays.fill(second, ' ');
            if (!same) {
                Arrays.fill(first, ' ');
                fail("the passwords differ; nothing changed", 0);
                return null;
            }
            return checked(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(first)), first);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            fail("no password on standard input (give it as one line: echo \"$PW\" | tributary passwd FILE USER)",
                    0);
            return null;
        }
        return checked(StandardCharsets.UTF_8.encode(line), null);
    }

    private byte[] checked(java.nio.ByteBuffer encoded, char[] toClear) {
        if (toClear != null) {
            Arrays.fill(toClear, ' ');
        }
        byte[] password = new byte[encoded.remaining()];
        encoded.get(password);
        if (password.length == 0) {
            fail("an empty password is not accepted; nothing changed", 0);
            return null;
        }
        return password;
    }

    /** Writes {@code lines} aside and moves them over the file in one step. */
    private void replace(List<String> lines) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        Files.createDirectories(folder);
        boolean posix = Files.getFileAttributeView(folder, PosixFileAttributeView.class) != null;
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("rw-------");
        if (posix && Files.exists(target)) {
            permissions = Files.getPosixFilePermissions(target);
        }
        Path temp = Files.createTempFile(folder, "." + target.getFileName(), ".tmp", OwnerOnlyFiles.fileAttributes());
        try {
            Files.write(temp, lines, StandardCharsets.UTF_8);
            if (posix) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private int fail(String message, int exitCode) {
        spec.commandLine().getErr().println("tributary passwd: " + message);
        spec.commandLine().getErr().flush();
        return exitCode;
    }
}
