package com.cometchat.spring.actuate;

import com.cometchat.spring.actuate.CometChatEndpoint.SessionAction;
import com.cometchat.spring.actuate.CometChatEndpoint.SessionDescriptor;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link CometChatEndpoint}: an operation on a session
 * whose uid is not logged in answers {@code 404 Not Found} (a write operation that returns nothing would answer
 * {@code 204}, as if it had been done).
 *
 * @author CometChat
 */
@EndpointWebExtension(endpoint = CometChatEndpoint.class)
public class CometChatEndpointWebExtension {

	private final CometChatEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint
	 */
	public CometChatEndpointWebExtension(CometChatEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Connect, disconnect or log out one session of the connection manager: {@code POST
	 * /actuator/cometchat/sessions/{uid}/{action}}.
	 * @param sessions the literal {@code sessions}
	 * @param uid the session's user
	 * @param action {@code connect}, {@code disconnect} or {@code logout}
	 * @return the session, or {@code 404} when the uid is not logged in
	 * @see CometChatEndpoint#controlSession(String, String, SessionAction)
	 */
	@WriteOperation
	public WebEndpointResponse<SessionDescriptor> controlSession(@Selector String sessions, @Selector String uid,
			@Selector SessionAction action) {
		SessionDescriptor session = this.delegate.controlSession(sessions, uid, action);
		return (session != null) ? new WebEndpointResponse<>(session)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}
