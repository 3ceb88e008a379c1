/**
 * The one way Basalt runs external tools ({@code cryptsetup}, {@code mkfs.xfs}, {@code grub-install}, ...).
 *
 * <p>A {@link dev.basalt.machinery.exec.Command} is an immutable description of one invocation; an
 * {@link dev.basalt.machinery.exec.Exec} runs it and returns a {@link dev.basalt.machinery.exec.Result}.
 * {@link dev.basalt.machinery.exec.ProcessExec} is the real implementation, {@link
 * dev.basalt.machinery.exec.ScriptedExec} the fake that unit tests script. Arguments marked secret never
 * appear in an error message or a log line.
 */
package dev.basalt.machinery.exec;
