package com.cometchat.spring.soak;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The soak's log file: one line per fault, per split state and per socket count above one, each stamped with the
 * seconds since the soak began. Lines are written at once, so the file can be read while the soak runs. It never holds
 * a token: nothing written to it comes from the clients' credentials.
 */
final class SoakLog implements AutoCloseable {

	private final long start = System.nanoTime();

	private final BufferedWriter writer;

	/**
	 * Create or replace the log file.
	 * @param file the file
	 */
	SoakLog(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the soak's log " + file, ex);
		}
	}

	/**
	 * Return the seconds since the soak began.
	 * @return the seconds
	 */
	double seconds() {
		return (System.nanoTime() - this.start) / 1e9;
	}

	/**
	 * Write a line.
	 * @param line the line
	 */
	synchronized void write(String line) {
		try {
			this.writer.write(String.format(Locale.ROOT, "[%7.1fs] %s%n", seconds(), line));
			this.writer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public synchronized void close() {
		try {
			this.writer.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
