package com.cometchat.spring.autoconfigure;

import java.util.Set;
import java.util.concurrent.Executor;

import com.cometchat.spring.annotation.CometChatListenerAnnotationBeanPostProcessor;
import com.cometchat.spring.autoconfigure.CometChatProperties.Reconnect;
import com.cometchat.spring.autoconfigure.CometChatProperties.Session.Store;
import com.cometchat.spring.autoconfigure.session.CometChatSessionDataSourceScriptDatabaseInitializer;
import com.cometchat.spring.autoconfigure.session.SessionTokenCiphers;
import com.cometchat.spring.client.CometChatClient;
import com.cometchat.spring.client.CometChatClientBuilder;
import com.cometchat.spring.client.CometChatClientObserver;
import com.cometchat.spring.client.CometChatConnectionManager;
import com.cometchat.spring.client.CometChatResources;
import com.cometchat.spring.client.CometChatTokenProvider;
import com.cometchat.spring.client.DefaultCometChatClient;
import com.cometchat.spring.client.DefaultCometChatConnectionManager;
import com.cometchat.spring.client.Destinations;
import com.cometchat.spring.session.CometChatSessionRepository;
import com.cometchat.spring.session.InMemorySessionStore;
import com.cometchat.spring.session.JpaSessionStore;
import com.cometchat.spring.session.SessionStore;
import com.cometchat.spring.session.TokenCipher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import javax.net.ssl.SSLContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.ResourceLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.util.StringUtils;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} for the CometChat client:
 * a {@link DefaultCometChatClient} bean that connects over STOMP/WebSocket and keeps its session in a
 * {@link SessionStore}, and a {@link DefaultCometChatConnectionManager} for applications with many users, both on one
 * {@link CometChatResources}, and the processor of {@code @CometChatListener} methods. Listeners and the completion of the clients' futures run on an executor bean named
 * {@value #CALLBACK_EXECUTOR_BEAN_NAME} when the application defines one, otherwise on the resources' callback pool.
 * A {@link CometChatTokenProvider} bean gives both (every session of the manager, for its own uid) fresh tokens when
 * the broker rejects a saved one.
 *
 * @author CometChat
 */
@AutoConfiguration(afterName = { "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
		"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration" })
@ConditionalOnClass(WebSocketStompClient.class)
@ConditionalOnBooleanProperty(name = "cometchat.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CometChatProperties.class)
public final class CometChatAutoConfiguration {

	/**
	 * Name of the application's {@link Executor} bean, if any, that runs the client's listeners and completes its
	 * futures.
	 */
	public static final String CALLBACK_EXECUTOR_BEAN_NAME = "cometChatCallbackExecutor";

	private static final Log logger = LogFactory.getLog(CometChatAutoConfiguration.class);

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static CometChatListenerAnnotationBeanPostProcessor cometChatListenerAnnotationBeanPostProcessor() {
		return new CometChatListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(CometChatConnectionDetails.class)
	PropertiesCometChatConnectionDetails cometChatConnectionDetails(CometChatProperties properties) {
		return new PropertiesCometChatConnectionDetails(properties);
	}

	@Bean
	@ConditionalOnMissingBean(SessionStore.class)
	InMemorySessionStore cometChatInMemorySessionStore(CometChatProperties properties) {
		if (properties.getSession().getStore() == Store.JDBC) {
			throw new InvalidCometChatPropertyException("cometchat.session.store", "jdbc",
					"there is no single DataSource bean", "Add spring-boot-starter-jdbc and configure one DataSource "
							+ "(spring.datasource.*), or define a SessionStore bean of your own.");
		}
		if (properties.getSession().getStore() == Store.JPA) {
			throw new InvalidCometChatPropertyException("cometchat.session.store", "jpa",
					"there is no CometChatSessionRepository bean",
					"Add spring-boot-starter-data-jpa and a DataSource; if the application declares "
							+ "@EnableJpaRepositories or @EntityScan, include the package com.cometchat.spring.session.");
		}
		logger.info("CometChat sessions are kept in memory: a restart loses the logged-in session. "
				+ "Add spring-boot-starter-data-jpa, or spring-boot-starter-jdbc and a DataSource, to save them in a "
				+ "database.");
		return new InMemorySessionStore();
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	CometChatResources cometChatResources(
			@Qualifier(CALLBACK_EXECUTOR_BEAN_NAME) ObjectProvider<Executor> callbackExecutor) {
		CometChatResources.Builder resources = CometChatResources.builder();
		callbackExecutor.ifAvailable(resources::callbackExecutor);
		return resources.build();
	}

	@Bean
	@ConditionalOnMissingBean(CometChatClient.class)
	DefaultCometChatClient cometChatClient(CometChatProperties properties,
			CometChatConnectionDetails connectionDetails, SessionStore sessionStore, CometChatResources resources,
			ApplicationEventPublisher eventPublisher, ObjectProvider<CometChatClientBuilderCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ResourceLoader resourceLoader,
			ObjectProvider<CometChatTokenProvider> tokenProvider, ObjectProvider<JsonMapper> jsonMapper) {
		CometChatClientBuilder builder = builder(properties, connectionDetails, sessionStore, resources, eventPublisher,
				customizers, sslBundles, resourceLoader, tokenProvider, jsonMapper);
		String uid = properties.getUser().getUid();
		String authToken = properties.getUser().getAuthToken();
		if (StringUtils.hasText(uid) && StringUtils.hasText(authToken)) {
			builder.serviceAccount(uid, authToken);
		}
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean(CometChatConnectionManager.class)
	DefaultCometChatConnectionManager cometChatConnectionManager(CometChatProperties properties,
			CometChatConnectionDetails connectionDetails, SessionStore sessionStore, CometChatResources resources,
			ApplicationEventPublisher eventPublisher, ObjectProvider<CometChatClientBuilderCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ResourceLoader resourceLoader,
			ObjectProvider<CometChatTokenProvider> tokenProvider, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<CometChatClient> client) {
		CometChatClientBuilder builder = builder(properties, connectionDetails, sessionStore, resources, eventPublisher,
				customizers, sslBundles, resourceLoader, tokenProvider, jsonMapper);
		DefaultCometChatClient primary = (client.getIfAvailable() instanceof DefaultCometChatClient single) ? single
				: null;
		return new DefaultCometChatConnectionManager(builder, primary,
				properties.getConnectionManager().getRestoreConcurrency(), () -> new CometChatClientObserver() {
				});
	}

	/**
	 * A builder with the properties, the shared resources and the customizers: the single client and every session of
	 * the connection manager are built alike. The application's {@link JsonMapper} converts the data of custom
	 * messages, so that its modules and settings apply to the application's types.
	 */
	private static CometChatClientBuilder builder(CometChatProperties properties,
			CometChatConnectionDetails connectionDetails, SessionStore sessionStore, CometChatResources resources,
			ApplicationEventPublisher eventPublisher, ObjectProvider<CometChatClientBuilderCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ResourceLoader resourceLoader,
			ObjectProvider<CometChatTokenProvider> tokenProvider, ObjectProvider<JsonMapper> jsonMapper) {
		CometChatPropertiesValidator.validate(properties);
		CometChatPropertiesValidator.validateWebSocketClient(properties.getWebsocketClient(),
				resourceLoader.getClassLoader());
		CometChatClientBuilder builder = CometChatClient.builder()
			.resources(resources)
			.url(connectionDetails.getUrl())
			.sslContext(sslContext(properties, sslBundles.getIfAvailable()))
			.virtualHost(connectionDetails.getVirtualHost())
			.appId(properties.getAppId())
			.region(properties.getRegion())
			.autoEstablishSocketConnection(properties.isAutoEstablishSocketConnection())
			.connectTimeout(properties.getConnectTimeout())
			.heartbeat(properties.getHeartbeat().getOutgoing(), properties.getHeartbeat().getIncoming())
			.inboundMessageSizeLimit((int) properties.getInboundMessageSizeLimit().toBytes())
			.frameCoalescingLimit((int) properties.getFrameCoalescingLimit().toBytes())
			.acknowledgeDelay(properties.getAcknowledgeDelay())
			.webSocketClientType(properties.getWebsocketClient())
			.shutdownTimeout(properties.getShutdownTimeout())
			.reconnectBackOff(backOff(properties.getReconnect()))
			.reconnectProbeInterval(properties.getReconnect().getProbeInterval())
			.receipts(properties.isReceipts())
			.autoMarkDelivered(properties.isAutoMarkDelivered())
			.receiptTimeout(properties.getReceiptTimeout())
			.sendQueueCapacity(properties.getSendQueueCapacity())
			.durableSubscriptions(properties.isDurableSubscriptions())
			.destinations(new Destinations(properties.getDestinations().getUser(),
					properties.getDestinations().getGroup(), properties.getDestinations().getPresence()))
			.presenceSubscription(properties.getPresenceSubscription(),
					Set.copyOf(properties.getPresence().getRoles()), Set.copyOf(properties.getPresence().getFriends()))
			.role(properties.getPresence().getRole())
			.presenceHeartbeat(properties.getPresence().getHeartbeatInterval(),
					properties.getPresence().getMissedHeartbeats())
			.sessionStore(sessionStore)
			.tokenProvider(tokenProvider.getIfAvailable())
			.eventPublisher(eventPublisher)
			.publishMessageEvents(properties.isPublishMessageEvents())
			.senderVerification(StringUtils.hasText(properties.getSenderVerification().getHeader())
					? properties.getSenderVerification().getHeader() : null,
					properties.getSenderVerification().isDropUnverified())
			.jsonMapper(jsonMapper.getIfUnique());
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	private static @Nullable SSLContext sslContext(CometChatProperties properties, @Nullable SslBundles sslBundles) {
		String bundle = properties.getSsl().getBundle();
		if (!StringUtils.hasText(bundle)) {
			return null;
		}
		if (sslBundles == null) {
			throw new InvalidCometChatPropertyException("cometchat.ssl.bundle", bundle, "there are no SSL bundles",
					"Define the bundle under spring.ssl.bundle.");
		}
		try {
			return sslBundles.getBundle(bundle).createSslContext();
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidCometChatPropertyException("cometchat.ssl.bundle", bundle, "no SSL bundle has that name",
					"Define it under spring.ssl.bundle.jks." + bundle + " or spring.ssl.bundle.pem." + bundle + ".");
		}
	}

	private static ExponentialBackOff backOff(Reconnect reconnect) {
		ExponentialBackOff backOff = new ExponentialBackOff(reconnect.getInitialInterval().toMillis(),
				reconnect.getMultiplier());
		backOff.setMaxInterval(reconnect.getMaxInterval().toMillis());
		backOff.setJitter(reconnect.getJitter().toMillis());
		@Nullable Long maxAttempts = reconnect.getMaxAttempts();
		if (maxAttempts != null) {
			backOff.setMaxAttempts(maxAttempts);
		}
		return backOff;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(value = JpaRepository.class,
			name = "org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer")
	@ConditionalOnBean(CometChatSessionRepository.class)
	@ConditionalOnProperty(name = "cometchat.session.store", havingValue = "jpa", matchIfMissing = true)
	static class JpaSessionStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TokenCipher cometChatTokenCipher(CometChatProperties properties) {
			return SessionTokenCiphers.fromProperties(properties);
		}

		@Bean
		@ConditionalOnMissingBean(SessionStore.class)
		JpaSessionStore cometChatJpaSessionStore(CometChatSessionRepository repository, TokenCipher tokenCipher,
				ObjectProvider<CometChatSessionDataSourceScriptDatabaseInitializer> schema) {
			CometChatSessionDataSourceScriptDatabaseInitializer initializer = schema.getIfAvailable();
			return new JpaSessionStore(repository, tokenCipher, (initializer != null) ? initializer::initializeIfPending
					: () -> {
					});
		}

	}

}
