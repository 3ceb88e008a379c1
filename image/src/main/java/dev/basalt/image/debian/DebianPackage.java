package dev.basalt.image.debian;

import java.nio.file.Path;

/**
 * A downloaded Debian binary package.
 *
 * @param name    package name
 * @param version package version
 * @param file    the .deb in the download cache
 * @param size    bytes of the .deb
 */
public record DebianPackage(String name, String version, Path file, long size) {
}
