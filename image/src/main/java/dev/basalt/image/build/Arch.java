package dev.basalt.image.build;

/**
 * Target architectures of the image, with the names each tool uses for them.
 */
public enum Arch {
    AMD64("amd64", "x86_64-linux-gnu", "ld-linux-x86-64.so.2", "lib64"),
    ARM64("arm64", "aarch64-linux-gnu", "ld-linux-aarch64.so.1", "lib");

    public final String debian;
    public final String multiarch;
    public final String loader;
    /** The directory under / holding the loader's canonical path. */
    public final String loaderDirectory;

    Arch(String debian, String multiarch, String loader, String loaderDirectory) {
        this.debian = debian;
        this.multiarch = multiarch;
        this.loader = loader;
        this.loaderDirectory = loaderDirectory;
    }

    public static Arch parse(String value) {
        for (Arch arch : values()) {
            if (arch.debian.equals(value)) {
                return arch;
            }
        }
        throw new IllegalArgumentException("--arch " + value + " is not a known architecture; expected amd64 or arm64");
    }
}
