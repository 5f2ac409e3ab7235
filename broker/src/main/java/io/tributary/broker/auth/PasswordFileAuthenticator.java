package io.tributary.broker.auth;

import io.tributary.broker.Authenticator;
import io.tributary.broker.ClientInfo;
import io.tributary.storage.FileStamp;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks user name and password against a {@link PasswordFile}, and takes up the file's new content when
 * {@link #reloadIfChanged()} sees it changed (connected clients stay connected). A file that cannot be read
 * at a reload keeps the users read before, with an error in the log naming the line.
 *
 * <p>Clients without a user name are refused: whether they may connect anonymously is decided before.
 */
public final class PasswordFileAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(PasswordFileAuthenticator.class);
    /** Hashed for an unknown user, so that a refusal takes as long whether or not the user exists. */
    private static final PasswordHash UNKNOWN_USER = PasswordHash.pbkdf2(new byte[] {0},
            PasswordHash.DEFAULT_ITERATIONS);

    private final Path file;
    private volatile PasswordFile users;
    /** What the file looked like when last read, or tried: a change to it triggers a reload. */
    private FileStamp lastSeen;

    private PasswordFileAuthenticator(Path file, PasswordFile users, FileStamp seen) {
        this.file = file;
        this.users = users;
        this.lastSeen = seen;
    }

    /**
     * Reads {@code file}.
     *
     * @throws PasswordFile.InvalidPasswordFileException naming the file and line of the problem
     */
    public static PasswordFileAuthenticator load(Path file) throws PasswordFile.InvalidPasswordFileException {
        FileStamp seen = FileStamp.of(file);
        return new PasswordFileAuthenticator(file, PasswordFile.read(file), seen);
    }

    @Override
    public boolean authenticate(ClientInfo client, byte[] password) {
        if (client.username() == null) {
            return false;
        }
        PasswordHash hash = users.hashOf(client.username());
        byte[] given = password == null ? new byte[0] : password;
        if (hash == null) {
            UNKNOWN_USER.matches(given);
            return false;
        }
        return hash.matches(given) && password != null;
    }

    /**
     * Reads the file again if its size, time or identity changed since it was last read; called once a second
     * by the broker, on a thread of its own. Only one thread calls it.
     */
    public void reloadIfChanged() {
        FileStamp seen = FileStamp.of(file);
        if (seen.equals(lastSeen)) {
            return;
        }
        lastSeen = seen;
        try {
            PasswordFile read = PasswordFile.read(file);
            users = read;
            log.info("password file {} reloaded: {} users", file, read.size());
        } catch (PasswordFile.InvalidPasswordFileException e) {
            log.error("password file not reloaded, the users read before stay: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Never let the periodic check die: the next change gets its own try.
            log.error("password file {} not reloaded, the users read before stay: {}", file, e.toString());
        }
    }

    /** How many users the file held when last read. */
    public int size() {
        return users.size();
    }
}
