package com.cometchat.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * Adapts {@link CometChatProperties} to {@link CometChatConnectionDetails}, checking the URL.
 *
 * @author CometChat
 */
class PropertiesCometChatConnectionDetails implements CometChatConnectionDetails {

	private static final String URL_PROPERTY = "cometchat.url";

	private final CometChatProperties properties;

	PropertiesCometChatConnectionDetails(CometChatProperties properties) {
		this.properties = properties;
	}

	@Override
	public URI getUrl() {
		String url = this.properties.getUrl();
		if (!StringUtils.hasText(url)) {
			throw new InvalidCometChatPropertyException(URL_PROPERTY, url, "it is not set",
					"Set cometchat.url to the broker's STOMP-over-WebSocket endpoint, for example "
							+ "ws://localhost:15674/ws, or set cometchat.enabled=false.");
		}
		URI uri;
		try {
			uri = new URI(url.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidCometChatPropertyException(URL_PROPERTY, url, "it is not a valid URI: " + ex.getMessage(),
					urlAction());
		}
		String scheme = uri.getScheme();
		if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
			throw new InvalidCometChatPropertyException(URL_PROPERTY, url,
					"its scheme must be ws or wss, not " + ((scheme != null) ? "'" + scheme + "'" : "missing"),
					urlAction());
		}
		if (!StringUtils.hasText(uri.getHost())) {
			throw new InvalidCometChatPropertyException(URL_PROPERTY, url, "it has no host", urlAction());
		}
		return uri;
	}

	private static String urlAction() {
		return "Set cometchat.url to a ws:// or wss:// URL with a host, for example ws://localhost:15674/ws.";
	}

	@Override
	public @Nullable String getVirtualHost() {
		return this.properties.getVirtualHost();
	}

}
