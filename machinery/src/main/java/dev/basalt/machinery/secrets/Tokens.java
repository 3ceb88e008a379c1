package dev.basalt.machinery.secrets;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Random secrets in the formats Kubernetes and Talos use. Stateless; thread-safe. */
public final class Tokens {
    /** A bootstrap/trustd/machine token: 6 + 16 characters of {@code [a-z0-9]} (Kubernetes bootstrap token format). */
    public static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private Tokens() {
    }

    public static String token(SecureRandom random) {
        return randomString(random, 6) + "." + randomString(random, 16);
    }

    /** {@code bytes} random bytes, base64 (standard alphabet, padded), as Talos stores cluster id/secret. */
    public static String base64Secret(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getEncoder().encodeToString(value);
    }

    private static String randomString(SecureRandom random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
