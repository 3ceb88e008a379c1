package dev.basalt.init.modules;

/**
 * One shell-style pattern from modules.alias, matched the way fnmatch(3) without flags matches it (which is what
 * kmod does): {@code *} any run of characters, {@code ?} one character, {@code [...]} a set or range with
 * {@code !} or {@code ^} negation, {@code \} escaping the next character.
 *
 * <p>Immutable; thread-safe.
 */
public record AliasPattern(String pattern) {
    public AliasPattern {
        if (pattern == null || pattern.isEmpty()) {
            throw new IllegalArgumentException("alias pattern must not be empty");
        }
    }

    public boolean matches(String text) {
        // Iterative matching with a single backtrack point for the last '*': linear for the patterns
        // modules.alias holds, never exponential.
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length()) {
            if (p < pattern.length()) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    starP = p++;
                    starT = t;
                    continue;
                }
                int next = matchOne(p, text.charAt(t));
                if (next >= 0) {
                    p = next;
                    t++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP + 1;
            t = ++starT;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** Matches one text character at pattern position p; returns the next pattern position, or -1. */
    private int matchOne(int p, char ch) {
        char c = pattern.charAt(p);
        switch (c) {
            case '?':
                return p + 1;
            case '\\':
                if (p + 1 < pattern.length()) {
                    return pattern.charAt(p + 1) == ch ? p + 2 : -1;
                }
                return ch == '\\' ? p + 1 : -1;
            case '[':
                return matchSet(p, ch);
            default:
                return c == ch ? p + 1 : -1;
        }
    }

    private int matchSet(int open, char ch) {
        int i = open + 1;
        boolean negate = i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^');
        if (negate) {
            i++;
        }
        boolean matched = false;
        boolean first = true;
        while (i < pattern.length() && (first || pattern.charAt(i) != ']')) {
            first = false;
            char lo = pattern.charAt(i);
            if (i + 2 < pattern.length() && pattern.charAt(i + 1) == '-' && pattern.charAt(i + 2) != ']') {
                char hi = pattern.charAt(i + 2);
                matched |= lo <= ch && ch <= hi;
                i += 3;
            } else {
                matched |= lo == ch;
                i++;
            }
        }
        if (i >= pattern.length()) {
            // An unterminated '[' is a literal character, as in fnmatch.
            return ch == '[' ? open + 1 : -1;
        }
        return matched != negate ? i + 1 : -1;
    }
}
