package io.tributary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenFileTest {

    @TempDir
    Path folder;

    @Test
    void firstUseCreatesARandomTokenReadableByItsOwnerOnly() throws Exception {
        Path file = ApiTokenFile.ensure(folder);

        String token = Files.readString(file).strip();
        assertTrue(token.length() >= 40, "a 32-byte token in base64, was " + token.length() + " characters");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void anExistingTokenIsKept() throws Exception {
        Path file = ApiTokenFile.ensure(folder);
        String first = Files.readString(file);

        ApiTokenFile.ensure(folder);

        assertEquals(first, Files.readString(file));
    }
}
