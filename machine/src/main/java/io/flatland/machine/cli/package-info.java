/**
 * The {@code flatland} command: QEMUs command line ({@code Options} and its option parsers;
 * arguments taken byte for byte, {@code RawArgs}), {@code flatland boot} for the kernel model
 * ({@code BootCommand}), exit statuses and one-line errors ({@code Main}).
 */
package io.flatland.machine.cli;
