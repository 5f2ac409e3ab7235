package io.tributary.broker.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One password hash as Mosquitto's {@code mosquitto_passwd} writes it: {@code $7$ITERATIONS$SALT$HASH}
 * (PBKDF2-HMAC-SHA512, Mosquitto 2's default) or {@code $6$SALT$HASH} (SHA-512 of the password then the salt,
 * Mosquitto 1.6's), salt and hash in standard Base64. The hash is always 64 bytes.
 *
 * <p>PBKDF2 is computed here with the JDK's {@code HmacSHA512} over the password's bytes as the client sent
 * them, as Mosquitto does; {@code PBKDF2WithHmacSHA512} would take characters and re-encode them.
 *
 * @param iterations the PBKDF2 iteration count; 0 for a {@code $6$} hash
 */
public record PasswordHash(int iterations, byte[] salt, byte[] hash) {

    /**
     * The iteration count {@code tributary passwd} writes unless told otherwise. Mosquitto 2.0 writes 101; we
     * write more because a leaked file then costs an attacker 10 times more per guess, while a CONNECT still
     * costs about a millisecond of CPU (1.3 ms measured on a loaded 2-core machine), so a reconnecting fleet of
     * 10,000 devices needs seconds of CPU, not minutes. Mosquitto reads any count.
     */
    public static final int DEFAULT_ITERATIONS = 1_000;

    /** The most iterations accepted in a file: more would let a file make each CONNECT cost seconds. */
    public static final int MAX_ITERATIONS = 10_000_000;

    private static final int HASH_BYTES = 64;
    private static final int SALT_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    public PasswordHash {
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 0-" + MAX_ITERATIONS + ", was " + iterations);
        }
        if (salt.length == 0 || hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a salt and a 64-byte hash are needed");
        }
        salt = salt.clone();
        hash = hash.clone();
    }

    /** A new PBKDF2 hash of {@code password} with a random salt, as {@code mosquitto_passwd} makes. */
    public static PasswordHash pbkdf2(byte[] password, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, pbkdf2(password, salt, iterations));
    }

    /**
     * Reads the part of a password file line after the {@code :}.
     *
     * @throws IllegalArgumentException saying what is wrong, without repeating the text
     */
    public static PasswordHash parse(String text) {
        String[] parts = text.split("\\$", -1);
        // "$7$N$SALT$HASH" splits into "", "7", N, SALT, HASH; "$6$SALT$HASH" into "", "6", SALT, HASH.
        if (parts.length == 5 && parts[0].isEmpty() && parts[1].equals("7")) {
            int iterations;
            try {
                iterations = Integer.parseInt(parts[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the iteration count of a $7$ hash is not a number");
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException("the iteration count of a $7$ hash must be 1-" + MAX_ITERATIONS);
            }
            return new PasswordHash(iterations, decode(parts[3], "salt"), decodeHash(parts[4]));
        }
        if (parts.length == 4 && parts[0].isEmpty() && parts[1].equals("6")) {
            return new PasswordHash(0, decode(parts[2], "salt"), decodeHash(parts[3]));
        }
        throw new IllegalArgumentException("expected a hash as mosquitto_passwd writes it ($7$ITERATIONS$SALT$HASH "
                + "or $6$SALT$HASH); plain-text passwords are not read");
    }

    /** True if {@code password} is the one hashed; compares in constant time. */
    public boolean matches(byte[] password) {
        byte[] candidate = iterations == 0 ? sha512(password, salt) : pbkdf2(password, salt, iterations);
        return MessageDigest.isEqual(candidate, hash);
    }

    /** The text after {@code user:} in a password file. */
    public String format() {
        Base64.Encoder base64 = Base64.getEncoder();
        return (iterations == 0 ? "$6$" : "$7$" + iterations + "$") + base64.encodeToString(salt) + "$"
                + base64.encodeToString(hash);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public String toString() {
        return iterations == 0 ? "PasswordHash[sha512]" : "PasswordHash[pbkdf2-sha512, " + iterations + " iterations]";
    }

    private static byte[] decodeHash(String text) {
        byte[] hash = decode(text, "hash");
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("the hash is " + hash.length + " bytes, not 64");
        }
        return hash;
    }

    private static byte[] decode(String text, String what) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("the " + what + " is empty");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not Base64");
        }
    }

    /** PBKDF2 (RFC 8018) with HMAC-SHA512 and one 64-byte block: exactly the length of the hash. */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            // An empty key is not allowed by SecretKeySpec; HMAC pads any key to the block with zeros anyway.
            mac.init(new SecretKeySpec(password.length == 0 ? new byte[1] : password, "HmacSHA512"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA512 is part of every JDK", e);
        }
    }

    private static byte[] sha512(byte[] password, byte[] salt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            digest.update(password);
            digest.update(salt);
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }
}
