package io.tributary.broker.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hashes of {@code mosquitto_passwd}'s format, checked against the JDK's own PBKDF2. */
class PasswordHashTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pbkdf2IsTheJdksPbkdf2WithHmacSha512() throws Exception {
        byte[] salt = utf8("twelve bytes");
        for (int iterations : new int[] {1, 2, 101, 1000}) {
            byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                    .generateSecret(new PBEKeySpec("pässword".toCharArray(), salt, iterations, 512)).getEncoded();
            assertArrayEquals(expected, PasswordHash.pbkdf2(utf8("pässword"), salt, iterations), "" + iterations);
        }
    }

    @Test
    void aNewHashMatchesItsPasswordOnlyAndSurvivesItsText() {
        PasswordHash hash = PasswordHash.pbkdf2(utf8("secret"), PasswordHash.DEFAULT_ITERATIONS);
        String text = hash.format();
        assertTrue(text.matches("\\$7\\$1000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}=="), text);
        PasswordHash read = PasswordHash.parse(text);
        assertTrue(read.matches(utf8("secret")));
        assertFalse(read.matches(utf8("Secret")));
        assertFalse(read.matches(new byte[0]));
        assertEquals(text, read.format());
    }

    @Test
    void invalidHashesAreRefusedWithoutRepeatingThem() {
        for (String bad : new String[] {"plaintext", "$7$abc$c2FsdA==$aGFzaA==", "$7$101$c2FsdA==$aGFzaA==",
            "$5$c2FsdA==$aGFzaA==", "$7$0$c2FsdA==$" + "A".repeat(86) + "==", "$6$!!$" + "A".repeat(86) + "=="}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PasswordHash.parse(bad));
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void aBadLineNamesFileAndLineButNotTheHash(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("passwd");
        String good = "alice:" + PasswordHash.pbkdf2(utf8("a"), 101).format();
        Files.writeString(file, "# users\n\n" + good + "\nbob:$7$101$notbase64!$secretish\n");
        PasswordFile.InvalidPasswordFileException e = assertThrows(PasswordFile.InvalidPasswordFileException.class,
                () -> PasswordFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ":4: user 'bob': "), e.getMessage());
        assertFalse(e.getMessage().contains("secretish"), e.getMessage());

        Files.writeString(file, good + "\n" + good + "\n");
        e = assertThrows(PasswordFile.InvalidPasswordFileException.class, () -> PasswordFile.read(file));
        assertTrue(e.getMessage().contains(":2: user 'alice' is already on line 1"), e.getMessage());

        Files.writeString(file, good + "\r\nnocolon\n");
        e = assertThrows(PasswordFile.InvalidPasswordFileException.class, () -> PasswordFile.read(file));
        assertTrue(e.getMessage().contains(":2: expected USER:HASH"), e.getMessage());
    }
}
