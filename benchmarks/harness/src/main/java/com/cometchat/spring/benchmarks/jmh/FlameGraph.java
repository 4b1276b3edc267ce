package com.cometchat.spring.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * An SVG flame graph of collapsed stacks ({@code thread;root;...;leaf count}): one box per frame, as wide as the
 * samples under it, callers below callees; threads are the bottom row. Boxes narrower than a pixel are left out;
 * a box shows class and method, and hovering it the whole frame and its share.
 *
 * @author CometChat
 */
final class FlameGraph {

	private static final int WIDTH = 1200;

	private static final int ROW = 16;

	private final Node root = new Node("all");

	private int depth;

	void add(String stack, int count) {
		Node node = this.root;
		node.count += count;
		String[] frames = stack.split(";");
		for (String frame : frames) {
			node = node.children.computeIfAbsent(frame, Node::new);
			node.count += count;
		}
		this.depth = Math.max(this.depth, frames.length + 1);
	}

	void write(Path file, String title) throws IOException {
		int height = (this.depth + 2) * ROW;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
				+ "font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height));
		svg.append(String.format("<text x=\"4\" y=\"12\">%s (%d samples)</text>%n", escape(title), this.root.count));
		box(svg, this.root, 0, WIDTH, height - ROW);
		svg.append("</svg>\n");
		Files.writeString(file, svg);
	}

	private void box(StringBuilder svg, Node node, double x, double width, int y) {
		if (width < 1) {
			return;
		}
		// Class and method only: the package is in the box's title
		String[] parts = node.frame.split("\\.");
		String label = (parts.length > 2) ? parts[parts.length - 2] + "." + parts[parts.length - 1] : node.frame;
		svg.append(String.format("<g><title>%s: %d samples, %.1f %%</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
				+ "height=\"%d\" fill=\"%s\" stroke=\"white\" stroke-width=\"0.5\"/>", escape(node.frame), node.count,
				100.0 * node.count / this.root.count, x, y, width, ROW - 1, color(node.frame)));
		int chars = (int) (width / 7) - 1;
		if (chars >= 3) {
			String text = (label.length() <= chars) ? label : label.substring(0, chars - 2) + "..";
			svg.append(String.format("<text x=\"%.1f\" y=\"%d\">%s</text>", x + 3, y + ROW - 4, escape(text)));
		}
		svg.append("</g>\n");
		double childX = x;
		for (Node child : node.children.values()) {
			double childWidth = width * child.count / node.count;
			box(svg, child, childX, childWidth, y - ROW);
			childX += childWidth;
		}
	}

	/**
	 * Ours orange, Spring green, Jackson purple, Jetty and Tomcat blue, the JDK grey, the rest (threads, JMH) sand.
	 */
	private static String color(String frame) {
		if (frame.startsWith("com.cometchat.spring.client")) {
			return "#f0a050";
		}
		if (frame.startsWith("org.springframework.")) {
			return "#8fcf7f";
		}
		if (frame.startsWith("tools.jackson.") || frame.startsWith("com.fasterxml.")) {
			return "#c0a0e0";
		}
		if (frame.startsWith("org.eclipse.jetty.") || frame.startsWith("org.apache.tomcat.")) {
			return "#90b8e8";
		}
		if (frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")) {
			return "#c8c8c8";
		}
		return "#e8d8a8";
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	private static final class Node {

		final String frame;

		final Map<String, Node> children = new TreeMap<>();

		int count;

		Node(String frame) {
			this.frame = frame;
		}

	}

}
